#include "ir/graph.h"

#include <algorithm>
#include <set>

#include "ir/error.h"

namespace rknn::ir {

Value& Graph::value(const std::string& name) {
  auto it = values.find(name);
  if (it == values.end()) throw CompileError("value '" + name + "' is not defined in the graph");
  return it->second;
}

const Value& Graph::value(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) throw CompileError("value '" + name + "' is not defined in the graph");
  return it->second;
}

bool Graph::is_constant(const std::string& name) const {
  auto it = values.find(name);
  return it != values.end() && it->second.constant.has_value();
}

bool Graph::is_graph_input(const std::string& name) const {
  return std::find(inputs.begin(), inputs.end(), name) != inputs.end();
}

bool Graph::is_graph_output(const std::string& name) const {
  return std::find(outputs.begin(), outputs.end(), name) != outputs.end();
}

std::string Graph::unique_name(const std::string& hint) const {
  if (!has_value(hint)) return hint;
  for (int i = 1;; ++i) {
    std::string candidate = hint + "_" + std::to_string(i);
    if (!has_value(candidate)) return candidate;
  }
}

std::string Graph::add_constant(const std::string& hint, sim::Tensor data) {
  std::string name = unique_name(hint);
  Value v{name, data.type(), std::move(data), Layout::kOther, std::nullopt};
  values.emplace(name, std::move(v));
  return name;
}

std::map<std::string, std::size_t> Graph::producers() const {
  std::map<std::string, std::size_t> result;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& out : nodes[i].outputs) {
      if (!out.empty()) result[out] = i;
    }
  }
  return result;
}

std::map<std::string, std::vector<std::size_t>> Graph::consumers() const {
  std::map<std::string, std::vector<std::size_t>> result;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& in : nodes[i].inputs) {
      if (in.empty()) continue;
      auto& list = result[in];
      if (list.empty() || list.back() != i) list.push_back(i);
    }
  }
  return result;
}

void Graph::replace_uses(const std::string& from, const std::string& to) {
  for (auto& node : nodes) std::replace(node.inputs.begin(), node.inputs.end(), from, to);
  std::replace(outputs.begin(), outputs.end(), from, to);
}

void Graph::sort_topologically() {
  std::set<std::string> ready;
  for (const auto& [name, v] : values) {
    if (v.constant) ready.insert(name);
  }
  for (const auto& name : inputs) ready.insert(name);
  const auto produced = producers();

  std::vector<Node> sorted;
  std::vector<bool> placed(nodes.size(), false);
  // Kahn's algorithm, always taking the earliest ready node so an ordered graph stays put.
  while (sorted.size() < nodes.size()) {
    bool progress = false;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (placed[i]) continue;
      const bool inputs_ready = std::all_of(nodes[i].inputs.begin(), nodes[i].inputs.end(),
                                            [&](const std::string& in) { return in.empty() || ready.count(in); });
      if (!inputs_ready) continue;
      for (const auto& out : nodes[i].outputs) {
        if (!out.empty()) ready.insert(out);
      }
      sorted.push_back(nodes[i]);
      placed[i] = true;
      progress = true;
      break;
    }
    if (progress) continue;
    // Nothing is ready: either a value nobody defines, or a cycle.
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (placed[i]) continue;
      for (const auto& in : nodes[i].inputs) {
        if (in.empty() || ready.count(in)) continue;
        if (!produced.count(in)) {
          throw CompileError(nodes[i].op + " node '" + nodes[i].name + "' reads '" + in +
                             "', which no node, input or initializer defines");
        }
      }
    }
    // Walk back through unready inputs; the first node seen twice is on a cycle.
    std::size_t at = static_cast<std::size_t>(std::find(placed.begin(), placed.end(), false) - placed.begin());
    std::vector<bool> seen(nodes.size(), false);
    while (!seen[at]) {
      seen[at] = true;
      for (const auto& in : nodes[at].inputs) {
        if (!in.empty() && !ready.count(in)) {
          at = produced.at(in);
          break;
        }
      }
    }
    throw CompileError("the graph has a cycle through " + nodes[at].op + " node '" + nodes[at].name + "'");
  }
  nodes = std::move(sorted);
}

}  // namespace rknn::ir
