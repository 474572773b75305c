#pragma once

#include "ui/tools/abstract_tool.h"

namespace sdm::ui {

// Fills the 4-connected region under the click.
class FillTool : public AbstractTool {
  Q_OBJECT

public:
  explicit FillTool(PaintOptions* options, QObject* parent = nullptr);

  void mousePressed(const ToolEvent& event) override;
};

}  // namespace sdm::ui
