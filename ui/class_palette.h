#pragma once

#include "core/io/class_set.h"

#include <QList>
#include <QWidget>

class QLineEdit;
class QListWidget;

namespace sdm::ui {

// The loaded model's classes to paint with: swatch, name and id, a search box, and the recently
// used ones on top.
class ClassPalette : public QWidget {
  Q_OBJECT

public:
  explicit ClassPalette(QWidget* parent = nullptr);

  void setClasses(const ClassSet& classes);
  int currentClass() const { return current_; }
  // Selects `id` and puts it first among the recently used.
  void setCurrentClass(int id);
  const QList<int>& recent() const { return recent_; }
  void setRecent(const QList<int>& ids);

Q_SIGNALS:
  void currentClassChanged(int id);

private:
  void rebuild();

  ClassSet classes_;
  int current_ = -1;
  QList<int> recent_;
  QLineEdit* search_;
  QListWidget* list_;
};

}  // namespace sdm::ui
