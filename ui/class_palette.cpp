#include "ui/class_palette.h"

#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QVBoxLayout>

namespace sdm::ui {

namespace {

constexpr int kRecentCount = 6;

QIcon swatch(const SemanticClass& c) {
  QPixmap pixmap(16, 16);
  pixmap.fill(QColor(c.color[0], c.color[1], c.color[2]));
  QPainter painter(&pixmap);
  painter.setPen(QColor(0, 0, 0, 96));
  painter.drawRect(0, 0, 15, 15);
  return QIcon(pixmap);
}

QListWidgetItem* heading(const QString& text) {
  auto* item = new QListWidgetItem(text);
  item->setFlags(Qt::NoItemFlags);
  QFont font = item->font();
  font.setBold(true);
  item->setFont(font);
  return item;
}

}  // namespace

ClassPalette::ClassPalette(QWidget* parent) : QWidget(parent), search_(new QLineEdit), list_(new QListWidget) {
  search_->setPlaceholderText(tr("Search classes…"));
  search_->setClearButtonEnabled(true);
  search_->setObjectName("classSearch");
  list_->setObjectName("classList");
  list_->setUniformItemSizes(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(search_);
  layout->addWidget(list_);
  connect(search_, &QLineEdit::textChanged, this, &ClassPalette::rebuild);
  connect(list_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
    if (item->flags() & Qt::ItemIsSelectable) setCurrentClass(item->data(Qt::UserRole).toInt());
  });
}

void ClassPalette::setClasses(const ClassSet& classes) {
  classes_ = classes;
  recent_.clear();
  current_ = -1;
  rebuild();
  if (!classes_.classes.empty()) setCurrentClass(classes_.classes.front().id);
}

void ClassPalette::setRecent(const QList<int>& ids) {
  recent_.clear();
  for (int id : ids)
    if (classes_.find_id(id) && !recent_.contains(id) && recent_.size() < kRecentCount) recent_.append(id);
  rebuild();
}

void ClassPalette::setCurrentClass(int id) {
  if (!classes_.find_id(id)) return;
  recent_.removeAll(id);
  recent_.prepend(id);
  while (recent_.size() > kRecentCount) recent_.removeLast();
  const bool changed = current_ != id;
  current_ = id;
  rebuild();
  if (changed) Q_EMIT currentClassChanged(id);
}

void ClassPalette::rebuild() {
  const QString filter = search_->text().trimmed();
  const auto matches = [&](const SemanticClass& c) {
    return filter.isEmpty() || QString::fromStdString(c.name).contains(filter, Qt::CaseInsensitive) ||
           QString::number(c.id) == filter;
  };
  const auto addClass = [&](const SemanticClass& c) {
    auto* item = new QListWidgetItem(swatch(c), QString("%1  (%2)").arg(QString::fromStdString(c.name)).arg(c.id));
    item->setData(Qt::UserRole, c.id);
    list_->addItem(item);
    if (c.id == current_) item->setSelected(true);
  };
  list_->clear();
  QList<const SemanticClass*> recent;
  for (int id : recent_)
    if (const auto* c = classes_.find_id(id); c && matches(*c)) recent.append(c);
  if (!recent.isEmpty()) {
    list_->addItem(heading(tr("Recently used")));
    for (const auto* c : recent) addClass(*c);
    list_->addItem(heading(tr("All classes")));
  }
  for (const auto& c : classes_.classes)
    if (matches(c)) addClass(c);
}

}  // namespace sdm::ui
