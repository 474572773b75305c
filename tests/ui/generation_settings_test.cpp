// Generation settings: step specifications and JSON both ways, and what bad input leaves.

#include "tests/ui/ui_tests.h"

#include "ui/generation_panel.h"
#include "ui/generation_settings.h"

#include <QSpinBox>

namespace sdm::ui {
namespace {

class GenerationSettingsTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void stepSpecificationsRoundTrip_data() {
    QTest::addColumn<QString>("spec");
    QTest::newRow("DDIM") << "ddim25";
    QTest::newRow("DPM-Solver++") << "dpm++10";
    QTest::newRow("DDPM") << "100";
  }
  void stepSpecificationsRoundTrip() {
    QFETCH(QString, spec);
    GenerationSettings settings;
    QVERIFY(settings.setStepSpec(spec));
    QCOMPARE(settings.stepSpec(), spec);
  }

  void otherSpecificationsChangeNothing() {
    GenerationSettings settings;
    settings.setStepSpec("dpm++12");
    for (const char* spec : {"10,10,30", "ddim", "euler20", "ddim0", ""}) QVERIFY(!settings.setStepSpec(spec));
    QCOMPARE(settings.stepSpec(), QString("dpm++12"));
  }

  void jsonRoundTripAndClamps() {
    GenerationSettings settings;
    settings.setStepSpec("50");
    settings.guidance = 3.5;
    settings.seed = 1234567;
    settings.seed_locked = true;
    settings.variations = 6;
    settings.live = true;
    settings.jump_length = 10;
    settings.jump_n = 3;
    settings.deep_cache = 3;
    QCOMPARE(GenerationSettings::fromJson(settings.toJson()).toJson(), settings.toJson());
    const auto clamped = GenerationSettings::fromJson(QJsonObject{{"steps", 100000}, {"variations", -3}, {"guidance", "high"}});
    QCOMPARE(clamped.steps, 1000);
    QCOMPARE(clamped.variations, 1);
    QCOMPARE(clamped.guidance, GenerationSettings().guidance);
    // Deep feature reuse is off unless chosen, and kept to the intervals the panel offers.
    QCOMPARE(GenerationSettings().deep_cache, 1);
    QCOMPARE(GenerationSettings::fromJson(QJsonObject{{"deep_cache", 0}}).deep_cache, 1);
    QCOMPARE(GenerationSettings::fromJson(QJsonObject{{"deep_cache", 99}}).deep_cache, GenerationSettings::kMaxDeepCache);
  }

  // RePaint's resampling, as `sdm edit --jump-length/--jump-n`: off by default, kept in the JSON
  // of settings and projects, and kept to its range.
  void resamplingJumpsRoundTripAndClamp() {
    const GenerationSettings defaults;
    QCOMPARE(defaults.jump_length, 0);
    QCOMPARE(defaults.jump_n, 1);
    GenerationSettings settings;
    settings.jump_length = 5;
    settings.jump_n = 2;
    const auto loaded = GenerationSettings::fromJson(settings.toJson());
    QCOMPARE(loaded.jump_length, 5);
    QCOMPARE(loaded.jump_n, 2);
    const auto clamped = GenerationSettings::fromJson(QJsonObject{{"jump_length", -4}, {"jump_n", 0}});
    QCOMPARE(clamped.jump_length, 0);
    QCOMPARE(clamped.jump_n, 1);
  }

  // The time per picture at an interval: the measured exact and all-reusing times, mixed by the
  // share of steps that reuse.
  void timePerPictureFollowsTheReuseInterval() {
    ModelSummary summary;
    QCOMPARE(summary.pictureSeconds(3), -1.0);
    summary.picture_seconds = 10;
    QCOMPARE(summary.pictureSeconds(3), 10.0);  // the reusing time not yet measured
    summary.reused_picture_seconds = 4;
    QCOMPARE(summary.pictureSeconds(1), 10.0);
    QCOMPARE(summary.pictureSeconds(2), 7.0);
    QCOMPARE(summary.pictureSeconds(3), 6.0);
  }

  // The panel shows and returns every setting, the resampling jumps included.
  void panelRoundTripsEverySetting() {
    GenerationPanel panel;
    GenerationSettings settings;
    settings.setStepSpec("dpm++12");
    settings.guidance = 2.5;
    settings.seed = 99;
    settings.seed_locked = true;
    settings.variations = 3;
    settings.live = true;
    settings.jump_length = 10;
    settings.jump_n = 2;
    settings.deep_cache = 4;
    panel.setSettings(settings);
    QCOMPARE(panel.settings().toJson(), settings.toJson());
  }

  // DDIM's integer stride takes 59 (stride 17) and 63 (stride 16) of 1000 steps, not 60: the box
  // moves on in the direction the user went, and other samplers take any count.
  void ddimStepsMoveToCountsTheSamplerTakes() {
    GenerationPanel panel;
    GenerationSettings settings;
    QVERIFY(settings.setStepSpec("ddim59"));
    panel.setSettings(settings);
    auto* steps = panel.findChild<QSpinBox*>("steps");
    steps->setValue(60);
    QCOMPARE(panel.settings().stepSpec(), QString("ddim63"));
    steps->setValue(60);
    QCOMPARE(panel.settings().stepSpec(), QString("ddim59"));
    QVERIFY(settings.setStepSpec("dpm++59"));
    panel.setSettings(settings);
    steps->setValue(60);
    QCOMPARE(panel.settings().stepSpec(), QString("dpm++60"));
  }
};

const testing::Registration<GenerationSettingsTest> registration("generation_settings");

}  // namespace
}  // namespace sdm::ui

#include "generation_settings_test.moc"
