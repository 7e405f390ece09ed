// The page protocol's names: each run state and message type has one name that parses back to
// it, and the direction lists hold named types without repeats. (That web/protocol.js has the
// same names is tests/web/protocol.test.mjs's job.)
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "protocol/protocol.h"

namespace {

template <class E, size_t N>
void check_round_trip(const dt::EnumName<E> (&table)[N], const char* (*name)(E), dt::Result<E> (*parse)(const std::string&)) {
  std::set<std::string> names;
  for (const auto& e : table) {
    CHECK(std::string(name(e.value)) == e.name);
    dt::Result<E> back = parse(e.name);
    REQUIRE(back.ok());
    CHECK(*back == e.value);
    CHECK(names.insert(e.name).second);
  }
}

template <size_t N>
std::set<dt::MessageType> distinct(const dt::MessageType (&list)[N]) {
  std::set<dt::MessageType> s(std::begin(list), std::end(list));
  CHECK(s.size() == N);
  for (dt::MessageType t : s) CHECK(std::string(dt::message_type_name(t)) != "?");
  return s;
}

}  // namespace

TEST_CASE("run states and message types have one name each, and parse back") {
  check_round_trip(dt::kRunStateNames, dt::run_state_name, dt::parse_run_state);
  check_round_trip(dt::kMessageTypeNames, dt::message_type_name, dt::parse_message_type);
  CHECK(std::string(dt::run_state_name(dt::RunState::training)) == "training");
  CHECK(std::string(dt::message_type_name(dt::MessageType::restored)) == "restored");
}

TEST_CASE("an unknown name is an error that lists the choices") {
  dt::Result<dt::RunState> s = dt::parse_run_state("running");
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().find("'running'") != std::string::npos);
  CHECK(s.error().find("paused") != std::string::npos);
  CHECK_FALSE(dt::parse_message_type("Start").ok());  // names are case-sensitive
}

TEST_CASE("the worker takes the UI's commands and the page's own question; the UI hears every other worker report") {
  const auto ui_to_page = distinct(dt::kUiToPage), page_to_worker = distinct(dt::kPageToWorker);
  const auto worker_to_page = distinct(dt::kWorkerToPage), page_to_ui = distinct(dt::kPageToUi);
  // `evaluate` (a model file the user opened) is the page's question to the worker, and its
  // answer is the page's: the UI gets it as `restored`.
  const auto pages_own = [](dt::MessageType t) { return t == dt::MessageType::evaluate; };
  for (dt::MessageType t : page_to_worker) CHECK(ui_to_page.count(t) == (pages_own(t) ? 0u : 1u));
  for (dt::MessageType t : worker_to_page) CHECK(page_to_ui.count(t) == (pages_own(t) ? 0u : 1u));
  CHECK(page_to_ui.count(dt::MessageType::restored) == 1);
  // Commands never come back, but for `samples` and `quantize`: questions whose answers carry
  // their names.
  const auto answered = [](dt::MessageType t) { return t == dt::MessageType::samples || t == dt::MessageType::quantize; };
  for (dt::MessageType t : ui_to_page) CHECK(page_to_ui.count(t) == (answered(t) ? 1u : 0u));
}
