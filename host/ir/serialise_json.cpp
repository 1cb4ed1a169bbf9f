#include "ir/serialise_json.h"

#include <sodium.h>

#include <stdexcept>

namespace qontos::ir {
namespace {

class Writer {
 public:
  explicit Writer(const Program& p) : program_(p) {}
  std::string take() { return std::move(out_); }

  void program() {
    const Program& p = program_;
    out_ += "{\"clbits\":" + std::to_string(p.num_clbits);
    out_ += ",\"cregs\":";
    registers(p.cregs);
    out_ += ",\"device\":";
    string(p.device);
    out_ += ",\"final_layout\":";
    ints(p.final_layout);
    out_ += ",\"format\":\"qontos-ir/1\",\"gate_defs\":[";
    for (std::size_t i = 0; i < p.gate_defs.size(); ++i) {
      if (i) out_ += ',';
      gate_def(p.gate_defs[i]);
    }
    out_ += "],\"global_phase\":";
    string(p.global_phase.to_string());
    out_ += ",\"initial_layout\":";
    ints(p.initial_layout);
    out_ += ",\"ops\":";
    ops(p.ops);
    if (p.partition) {
      const PartitionMap& m = *p.partition;
      out_ += ",\"partition\":{\"cut_gates\":" + std::to_string(m.cut_gates) + ",\"method\":";
      string(m.method);
      out_ += ",\"module_of_qubit\":";
      ints(m.module_of_qubit);
      out_ += ",\"modules\":[";
      for (std::size_t i = 0; i < m.module_names.size(); ++i) {
        if (i) out_ += ',';
        out_ += "{\"capacity\":" + std::to_string(m.capacities[i]) + ",\"name\":";
        string(m.module_names[i]);
        out_ += '}';
      }
      out_ += "]}";
    }
    out_ += ",\"qregs\":";
    registers(p.qregs);
    out_ += ",\"qubits\":" + std::to_string(p.num_qubits);
    if (p.schedule) {
      out_ += ",\"schedule\":{\"duration_ns\":" + format_double(p.schedule->duration_ns) + ",\"start_ns\":[";
      for (std::size_t i = 0; i < p.schedule->start_ns.size(); ++i) {
        if (i) out_ += ',';
        out_ += format_double(p.schedule->start_ns[i]);
      }
      out_ += "]}";
    }
    out_ += ",\"vars\":[";
    for (std::size_t i = 0; i < p.vars.size(); ++i) {
      if (i) out_ += ',';
      out_ += "{\"initial\":";
      if (p.vars[i].initial)
        string(to_qasm(*p.vars[i].initial, {&p, nullptr}));
      else
        out_ += "null";
      out_ += ",\"name\":";
      string(p.vars[i].name);
      out_ += ",\"type\":";
      string(p.vars[i].type);
      out_ += '}';
    }
    out_ += "]}";
  }

 private:
  void string(const std::string& s) {
    out_ += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out_ += buf;
      } else {
        out_ += c;
      }
    }
    out_ += '"';
  }
  void ints(const std::vector<int>& v) {
    out_ += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out_ += ',';
      out_ += std::to_string(v[i]);
    }
    out_ += ']';
  }
  void registers(const std::vector<Register>& regs) {
    out_ += '[';
    for (std::size_t i = 0; i < regs.size(); ++i) {
      if (i) out_ += ',';
      out_ += "{\"name\":";
      string(regs[i].name);
      out_ += ",\"offset\":" + std::to_string(regs[i].offset) + ",\"size\":" + std::to_string(regs[i].size) + "}";
    }
    out_ += ']';
  }
  std::string expr(const ExprPtr& e) { return to_qasm(*e, {&program_, params_}); }
  void ops(const OpList& list) {
    out_ += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i) out_ += ',';
      op(list[i]);
    }
    out_ += ']';
  }
  void op(const Op& o) {
    std::visit([this](const auto& x) { emit(x); }, o.v);
  }
  void emit(const GateOp& g) {
    out_ += '{';
    if (g.controls) out_ += "\"controls\":" + std::to_string(g.controls) + ",";
    out_ += "\"kind\":\"gate\"";
    if (!g.modifiers.empty()) {
      out_ += ",\"modifiers\":[";
      for (std::size_t i = 0; i < g.modifiers.size(); ++i) {
        const Modifier& m = g.modifiers[i];
        if (i) out_ += ',';
        switch (m.kind) {
          case Modifier::Kind::kCtrl:
            out_ += "{\"count\":" + std::to_string(m.count) + ",\"kind\":\"ctrl\"}";
            break;
          case Modifier::Kind::kNegCtrl:
            out_ += "{\"count\":" + std::to_string(m.count) + ",\"kind\":\"negctrl\"}";
            break;
          case Modifier::Kind::kInv:
            out_ += "{\"kind\":\"inv\"}";
            break;
          case Modifier::Kind::kPow:
            out_ += "{\"exponent\":";
            string(expr(m.exponent));
            out_ += ",\"kind\":\"pow\"}";
            break;
        }
      }
      out_ += ']';
    }
    out_ += ",\"name\":";
    string(g.name);
    if (!g.param_exprs.empty()) {
      out_ += ",\"params\":[";
      for (std::size_t i = 0; i < g.param_exprs.size(); ++i) {
        if (i) out_ += ',';
        string(expr(g.param_exprs[i]));
      }
      out_ += ']';
    } else if (!g.params.empty()) {
      out_ += ",\"params\":[";
      for (std::size_t i = 0; i < g.params.size(); ++i) {
        if (i) out_ += ',';
        string(g.params[i].to_string());
      }
      out_ += ']';
    }
    out_ += ",\"qubits\":";
    ints(g.qubits);
    out_ += '}';
  }
  void emit(const MeasureOp& m) {
    out_ +=
        "{\"clbit\":" + std::to_string(m.clbit) + ",\"kind\":\"measure\",\"qubit\":" + std::to_string(m.qubit) + "}";
  }
  void emit(const ResetOp& r) { out_ += "{\"kind\":\"reset\",\"qubit\":" + std::to_string(r.qubit) + "}"; }
  void emit(const BarrierOp& b) {
    out_ += "{\"kind\":\"barrier\",\"qubits\":";
    ints(b.qubits);
    out_ += '}';
  }
  void emit(const DelayOp& d) {
    out_ += "{\"duration\":";
    string(format_double(d.duration));
    out_ += ",\"kind\":\"delay\",\"qubits\":";
    ints(d.qubits);
    out_ += ",\"unit\":";
    string(d.unit);
    out_ += '}';
  }
  void emit(const GlobalPhaseOp& g) {
    out_ += "{\"kind\":\"gphase\",\"phase\":";
    string(g.phase.to_string());
    out_ += '}';
  }
  void emit(const IfOp& i) {
    out_ += "{\"condition\":";
    string(expr(i.condition));
    out_ += ",\"else\":";
    ops(i.else_ops);
    out_ += ",\"kind\":\"if\",\"then\":";
    ops(i.then_ops);
    out_ += '}';
  }
  void emit(const WhileOp& w) {
    out_ += "{\"body\":";
    ops(w.body);
    out_ += ",\"condition\":";
    string(expr(w.condition));
    out_ += ",\"kind\":\"while\"}";
  }
  void emit(const AssignOp& a) {
    out_ += "{\"kind\":\"assign\",\"target\":";
    string(a.target == AssignOp::Target::kBit ? clbit_name(program_, a.index)
                                              : program_.vars.at(static_cast<std::size_t>(a.index)).name);
    out_ += ",\"value\":";
    string(expr(a.value));
    out_ += '}';
  }
  void emit(const BreakOp&) { out_ += "{\"kind\":\"break\"}"; }
  void emit(const ContinueOp&) { out_ += "{\"kind\":\"continue\"}"; }

  void gate_def(const GateDefinition& d) {
    params_ = &d.param_names;
    out_ += "{\"body\":";
    // Definition bodies carry their phase as symbolic expressions.
    out_ += '[';
    std::size_t phase_index = 0;
    for (std::size_t i = 0; i < d.body.size(); ++i) {
      if (i) out_ += ',';
      if (std::holds_alternative<GlobalPhaseOp>(d.body[i].v)) {
        out_ += "{\"kind\":\"gphase\",\"phase\":";
        string(expr(d.phase_exprs.at(phase_index++)));
        out_ += '}';
      } else {
        op(d.body[i]);
      }
    }
    out_ += "],\"name\":";
    string(d.name);
    out_ += ",\"opaque\":";
    out_ += d.opaque ? "true" : "false";
    out_ += ",\"params\":[";
    for (std::size_t i = 0; i < d.param_names.size(); ++i) {
      if (i) out_ += ',';
      string(d.param_names[i]);
    }
    out_ += "],\"qubits\":[";
    for (std::size_t i = 0; i < d.qubit_names.size(); ++i) {
      if (i) out_ += ',';
      string(d.qubit_names[i]);
    }
    out_ += "]}";
    params_ = nullptr;
  }

  const Program& program_;
  const std::vector<std::string>* params_ = nullptr;
  std::string out_;
};

}  // namespace

std::string serialise_json(const Program& program) {
  Writer w(program);
  w.program();
  return w.take();
}

std::string sha256_hex(const std::string& data) {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof digest);
  for (unsigned char b : digest) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

}  // namespace qontos::ir
