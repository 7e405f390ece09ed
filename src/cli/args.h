// Command-line flags: `--name value` or `--name=value`, and bare switches (`--json`).
// Each command declares the flags it knows, so a typo is an error, not silently ignored.
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "util/result.h"

namespace dt::cli {

struct FlagSpec {
  std::set<std::string> with_value;  // e.g. "epochs"
  std::set<std::string> switches;    // e.g. "json"
};

class Args {
 public:
  static Result<Args> parse(const std::vector<std::string>& argv, const FlagSpec& spec, const std::string& command);
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::string get(const std::string& name, const std::string& fallback = "") const;
  // Typed getters fail with "--name: '...' is not a ..." messages.
  Result<long> integer(const std::string& name, long fallback) const;
  Result<double> number(const std::string& name, double fallback) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace dt::cli
