// Enums that users name on the command line, in the page and in saved files: one table of
// {value, name} pairs per enum gives both directions, and the parse error lists the choices.
#pragma once
#include <string>

#include "util/result.h"

namespace dt {

template <class E>
struct EnumName {
  E value;
  const char* name;
};

template <class E, size_t N>
const char* enum_name(const EnumName<E> (&table)[N], E value) {
  for (const auto& e : table)
    if (e.value == value) return e.name;
  return "?";
}

// `what` names the setting in the message, e.g. "optimizer".
template <class E, size_t N>
Result<E> parse_enum(const EnumName<E> (&table)[N], const std::string& name, const std::string& what) {
  std::string choices;
  for (size_t i = 0; i < N; ++i) {
    if (name == table[i].name) return table[i].value;
    choices += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + table[i].name;
  }
  return Error{"unknown " + what + " '" + name + "' (use " + choices + ")"};
}

}  // namespace dt
