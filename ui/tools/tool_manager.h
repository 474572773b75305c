#pragma once

#include "ui/tools/abstract_tool.h"
#include "ui/tools/paint_options.h"

#include <QList>
#include <QObject>

#include <utility>

class QAction;
class QActionGroup;

namespace sdm::ui {

// The canvas's tools (Tiled's ToolManager): each registered with its action — checkable, one of
// them checked, with the tool's shortcut — the current tool, and the options they all paint with.
// Tools' signals are forwarded, so listeners connect once.
class ToolManager : public QObject {
  Q_OBJECT

public:
  // The app's tools, in the toolbar's order; the brush is current.
  explicit ToolManager(QObject* parent = nullptr);

  PaintOptions* options() { return &options_; }
  QList<QAction*> actions() const;
  AbstractTool* currentTool() const { return current_; }
  void setCurrentTool(AbstractTool* tool);
  void setDocument(LabelDocument* document);

  // The registered tool of exactly type T.
  template <typename T>
  T* tool() const {
    for (const auto& [tool, action] : tools_)
      if (tool->metaObject() == &T::staticMetaObject) return static_cast<T*>(tool);
    return nullptr;
  }

Q_SIGNALS:
  void currentToolChanged(sdm::ui::AbstractTool* tool);
  void cursorChanged();  // of the current tool
  void editFinished();
  void message(const QString& text);

private:
  void registerTool(AbstractTool* tool);
  void onActionTriggered(QAction* action);
  void onToolCursorChanged();

  PaintOptions options_;
  QActionGroup* action_group_;
  QList<std::pair<AbstractTool*, QAction*>> tools_;
  AbstractTool* current_ = nullptr;
};

}  // namespace sdm::ui
