#include "core/io/image_file.h"

#include "core/base/error.h"
#include "core/io/atomic_file.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace sdm {

cv::Mat read_image_unchanged(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(path.string() + ": no such file");
  cv::Mat image;
  try {
    image = cv::imread(path.string(), cv::IMREAD_UNCHANGED | cv::IMREAD_IGNORE_ORIENTATION);
  } catch (const cv::Exception& e) {
    throw Error(path.string() + ": cannot decode image (" + e.err + ")");
  }
  if (image.empty()) throw Error(path.string() + ": not a readable image (corrupt, truncated or an unsupported format)");
  if (image.channels() == 4) cv::cvtColor(image, image, cv::COLOR_BGRA2BGR);
  if (image.channels() == 3) cv::cvtColor(image, image, cv::COLOR_BGR2RGB);
  if (image.channels() != 1 && image.channels() != 3) throw Error(path.string() + ": unsupported channel count " + std::to_string(image.channels()));
  return image;
}

cv::Mat read_rgb_image(const std::filesystem::path& path) {
  cv::Mat image = read_image_unchanged(path);
  if (image.depth() == CV_16U) image.convertTo(image, CV_8U, 1.0 / 257.0);
  else if (image.depth() != CV_8U) throw Error(path.string() + ": unsupported pixel depth");
  if (image.channels() == 1) cv::cvtColor(image, image, cv::COLOR_GRAY2RGB);
  return image;
}

void write_png(const std::filesystem::path& path, const cv::Mat& image) {
  cv::Mat stored = image;
  if (image.channels() == 3) cv::cvtColor(image, stored, cv::COLOR_RGB2BGR);
  std::vector<uchar> bytes;
  if (!cv::imencode(".png", stored, bytes)) throw Error(path.string() + ": cannot encode PNG");
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace sdm
