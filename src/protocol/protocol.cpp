#include "protocol/protocol.h"

namespace dt {

const char* run_state_name(RunState state) { return enum_name(kRunStateNames, state); }
Result<RunState> parse_run_state(const std::string& name) { return parse_enum(kRunStateNames, name, "run state"); }

const char* message_type_name(MessageType type) { return enum_name(kMessageTypeNames, type); }
Result<MessageType> parse_message_type(const std::string& name) {
  return parse_enum(kMessageTypeNames, name, "message type");
}

}  // namespace dt
