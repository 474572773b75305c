#include "ui/tools/tool_manager.h"

#include "ui/tools/brush_tool.h"
#include "ui/tools/edit_region_tool.h"
#include "ui/tools/ellipse_tool.h"
#include "ui/tools/eraser_tool.h"
#include "ui/tools/eyedropper_tool.h"
#include "ui/tools/fill_tool.h"
#include "ui/tools/lasso_tool.h"
#include "ui/tools/rectangle_tool.h"
#include "ui/tools/smart_select_tool.h"

#include <QAction>
#include <QActionGroup>

namespace sdm::ui {

ToolManager::ToolManager(QObject* parent) : QObject(parent), action_group_(new QActionGroup(this)) {
  registerTool(new BrushTool(&options_, this));
  registerTool(new EraserTool(&options_, this));
  registerTool(new FillTool(&options_, this));
  registerTool(new RectangleTool(&options_, this));
  registerTool(new EllipseTool(&options_, this));
  registerTool(new LassoTool(&options_, this));
  registerTool(new EyedropperTool(&options_, this));
  registerTool(new SmartSelectTool(&options_, this));
  registerTool(new EditRegionTool(&options_, this));
  connect(action_group_, &QActionGroup::triggered, this, &ToolManager::onActionTriggered);
  setCurrentTool(tools_.front().first);
}

void ToolManager::registerTool(AbstractTool* tool) {
  auto* action = new QAction(tool->name(), this);
  action->setCheckable(true);
  action->setShortcut(tool->shortcut());
  action->setToolTip(tr("%1 (%2): %3").arg(tool->name(), tool->shortcut().toString(), tool->description()));
  action_group_->addAction(action);
  tools_.append({tool, action});
  connect(tool, &AbstractTool::editFinished, this, &ToolManager::editFinished);
  connect(tool, &AbstractTool::message, this, &ToolManager::message);
  connect(tool, &AbstractTool::cursorChanged, this, &ToolManager::onToolCursorChanged);
}

QList<QAction*> ToolManager::actions() const {
  QList<QAction*> actions;
  for (const auto& [tool, action] : tools_) actions.append(action);
  return actions;
}

void ToolManager::setCurrentTool(AbstractTool* tool) {
  if (tool == current_) return;
  if (current_) current_->deactivate();
  current_ = tool;
  for (const auto& [registered, action] : tools_)
    if (registered == tool) action->setChecked(true);
  Q_EMIT currentToolChanged(tool);
}

void ToolManager::setDocument(LabelDocument* document) {
  for (const auto& [tool, action] : tools_) tool->setDocument(document);
}

void ToolManager::onActionTriggered(QAction* action) {
  for (const auto& [tool, registered] : tools_)
    if (registered == action) setCurrentTool(tool);
}

void ToolManager::onToolCursorChanged() {
  if (sender() == current_) Q_EMIT cursorChanged();
}

}  // namespace sdm::ui
