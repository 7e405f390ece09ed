// The CLI's commands. Each takes the arguments after its name and returns the process exit
// code; problems a user can fix are one line on stderr and exit code 1 (2 for usage errors).
#pragma once
#include <string>
#include <vector>

namespace dt::cli {

int cmd_presets(const std::vector<std::string>& args);
int cmd_train(const std::vector<std::string>& args);
int cmd_eval(const std::vector<std::string>& args);
int cmd_quantize(const std::vector<std::string>& args);
int cmd_predict(const std::vector<std::string>& args);
int cmd_explain(const std::vector<std::string>& args);
int cmd_bench(const std::vector<std::string>& args);

}  // namespace dt::cli
