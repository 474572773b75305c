// Generation settings: step specifications and JSON both ways, and what bad input leaves.

#include "tests/ui/ui_tests.h"

#include "ui/generation_settings.h"

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
    QCOMPARE(GenerationSettings::fromJson(settings.toJson()).toJson(), settings.toJson());
    const auto clamped = GenerationSettings::fromJson(QJsonObject{{"steps", 100000}, {"variations", -3}, {"guidance", "high"}});
    QCOMPARE(clamped.steps, 1000);
    QCOMPARE(clamped.variations, 1);
    QCOMPARE(clamped.guidance, GenerationSettings().guidance);
  }
};

const testing::Registration<GenerationSettingsTest> registration("generation_settings");

}  // namespace
}  // namespace sdm::ui

#include "generation_settings_test.moc"
