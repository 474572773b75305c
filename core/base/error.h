#pragma once

#include <stdexcept>
#include <string>

namespace sdm {

// The one error type the core throws for bad input (files, maps, options). Its message is a
// single line meant for the user, naming the file or option and the problem.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace sdm
