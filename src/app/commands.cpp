#include "app/commands.h"

#include <nlohmann/json.hpp>

#include "protocol/protocol.h"
#include "recipe/presets.h"

namespace dt::commands {

namespace {

using nlohmann::json;

std::string message(MessageType type, json fields = json::object()) {
  fields["type"] = message_type_name(type);
  return fields.dump();
}

}  // namespace

std::string start(const TrainSettings& s, const std::string& dataset, bool resume) {
  const json config = {{"dataset", dataset},
                       {"preset", presets()[s.preset].name},
                       {"optimizer", optimizer_name(s.optimizer)},
                       {"lr", s.lr},
                       {"batch", s.batch},
                       {"epochs", s.epochs},
                       {"augment", s.augment},
                       {"threads", s.threads},
                       {"resume", resume}};
  return message(MessageType::start, {{"config", config}});
}

std::string pause() { return message(MessageType::pause); }
std::string resume() { return message(MessageType::resume); }
std::string stop() { return message(MessageType::stop); }
std::string set_lr(float lr) { return message(MessageType::set, {{"lr", lr}}); }
std::string save() { return message(MessageType::save); }
std::string reset() { return message(MessageType::reset); }
std::string reopen(int64_t id) { return message(MessageType::reopen, {{"id", id}}); }
std::string forget(int64_t id) { return message(MessageType::forget, {{"id", id}}); }

}  // namespace dt::commands
