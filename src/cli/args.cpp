#include "cli/args.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace dt::cli {

Result<Args> Args::parse(const std::vector<std::string>& argv, const FlagSpec& spec, const std::string& command) {
  Args a;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg.size() < 3)
      return Error{"unexpected argument '" + arg + "' for `" + command + "` (flags start with --; see `digitrain help`)"};
    std::string name = arg.substr(2), value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (spec.switches.count(name)) {
      if (inline_value) return Error{"--" + name + " takes no value"};
      a.values_[name] = "1";
    } else if (spec.with_value.count(name)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) return Error{"--" + name + " needs a value"};
        value = argv[++i];
      }
      a.values_[name] = value;
    } else {
      return Error{"unknown flag --" + name + " for `" + command + "` (see `digitrain help`)"};
    }
  }
  return a;
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

Result<long> Args::integer(const std::string& name, long fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  const char* s = it->second.c_str();
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(s, &end, 10);
  if (it->second.empty() || *end != '\0' || errno == ERANGE)
    return Error{"--" + name + ": '" + it->second + "' is not an integer"};
  return v;
}

Result<double> Args::number(const std::string& name, double fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  const char* s = it->second.c_str();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s, &end);
  if (it->second.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    return Error{"--" + name + ": '" + it->second + "' is not a number"};
  return v;
}

}  // namespace dt::cli
