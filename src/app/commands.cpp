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

namespace {
json start_config(const TrainSettings& s, const std::string& dataset) {
  json config{{"dataset", dataset},
              {"preset", presets()[s.preset].name},
              {"optimizer", optimizer_name(s.optimizer)},
              {"lr", s.lr},
              {"batch", s.batch},
              {"epochs", s.epochs},
              {"momentum", s.momentum},
              {"schedule", schedule_name(s.schedule)},
              {"loss", loss_name(s.loss)},
              {"focal_gamma", s.focal_gamma},
              {"label_smoothing", s.label_smoothing},
              {"l1", s.l1},
              {"l2", s.l2},
              {"val", s.val},
              {"patience", s.patience},
              {"threads", s.threads}};
  // On: the amounts as the panel shows them; off: none.
  config["augment"] = s.augment ? json{{"rotate", s.amounts.rotate_degrees},
                                       {"scale", s.amounts.scale},
                                       {"shift", s.amounts.shift},
                                       {"elastic", s.amounts.elastic_alpha},
                                       {"elastic_sigma", s.amounts.elastic_sigma}}
                                : json(false);
  if (!s.architecture.empty()) config["architecture"] = json::parse(s.architecture);
  return config;
}
}  // namespace

std::string samples(const TrainSettings& s, const std::string& dataset, int seed, int count) {
  return message(MessageType::samples, {{"config", start_config(s, dataset)}, {"seed", seed}, {"count", count}});
}

std::string start(const TrainSettings& s, const std::string& dataset, bool resume) {
  json config = start_config(s, dataset);
  config["resume"] = resume;
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
std::string open() { return message(MessageType::open); }
std::string quantize() { return message(MessageType::quantize); }
std::string save_int8() { return message(MessageType::save, {{"int8", true}}); }

}  // namespace dt::commands
