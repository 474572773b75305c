#pragma once

#include "ui/tools/abstract_tool.h"

namespace sdm::ui {

// Picks the class under the click (classPicked); changes nothing.
class EyedropperTool : public AbstractTool {
  Q_OBJECT

public:
  explicit EyedropperTool(PaintOptions* options, QObject* parent = nullptr);

  QCursor cursor() const override { return Qt::PointingHandCursor; }
  void mousePressed(const ToolEvent& event) override;

Q_SIGNALS:
  void classPicked(int id);
};

}  // namespace sdm::ui
