// The worker on its own thread: Cancel stops a run within one step.

#include "tests/ui/ui_tests.h"

#include "ui/sampler_worker.h"

#include <QSignalSpy>
#include <QThread>

namespace sdm::ui {
namespace {

class SamplerWorkerTest : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void cancelStopsWithinOneStep() {
    qRegisterMetaType<QList<KeptResult>>();
    QThread thread;
    auto* worker = new SamplerWorker;
    worker->moveToThread(&thread);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    thread.start();
    QSignalSpy loaded(worker, &SamplerWorker::modelLoaded);
    QMetaObject::invokeMethod(worker, [worker] { worker->loadModel(testing::dataFile("tiny.pt"), {}, "cpu"); });
    QVERIFY(loaded.wait(30000));

    GenerationJob job;
    job.id = 1;
    job.labels = QImage(32, 32, QImage::Format_Grayscale8);
    job.labels.fill(0);
    job.steps = "ddim200";
    job.count = 2;
    job.preview_interval_ms = 0;  // a preview for every step
    // Cancel from the step callback itself (a direct connection runs on the worker's thread), so
    // "how many steps after Cancel" is exact rather than a matter of signal latency.
    constexpr int kCancelAt = 7;
    QList<int> steps;
    connect(worker, &SamplerWorker::progressReady, worker, [&] {
      const int step = worker->takeProgress()->layout_step;
      steps.append(step);
      if (step == kCancelAt) worker->cancelUpTo(job.id);
    }, Qt::DirectConnection);
    QSignalSpy cancelled(worker, &SamplerWorker::cancelled);
    QSignalSpy finished(worker, &SamplerWorker::finished);
    QMetaObject::invokeMethod(worker, [worker, job] { worker->generate(job); });
    QVERIFY(cancelled.wait(30000));
    QCOMPARE(finished.count(), 0);
    QCOMPARE(cancelled.first().first().toInt(), job.id);
    QCOMPARE(steps.last(), kCancelAt);  // no step ran after the one that saw Cancel

    // A job cancelled before it starts never runs; the next one does.
    // Counted rather than waited for: the worker may refuse it before wait() starts listening.
    QMetaObject::invokeMethod(worker, [worker, job] { worker->generate(job); });
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 2, 30000);
    GenerationJob next = job;
    next.id = 2;
    next.steps = "ddim3";
    QMetaObject::invokeMethod(worker, [worker, next] { worker->generate(next); });
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QCOMPARE(finished.first().at(1).value<QList<KeptResult>>().size(), 2);
    thread.quit();
    thread.wait();
  }
};

const testing::Registration<SamplerWorkerTest> registration("sampler_worker");

}  // namespace
}  // namespace sdm::ui

#include "sampler_worker_test.moc"
