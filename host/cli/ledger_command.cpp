// `qontos ledger` and its subcommands (see ledger_command.h and docs/formats/ledger.md).
#include "cli/ledger_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/output.h"
#include "common/settings.h"
#include "ledger/ledger.h"
#include "proof/keys.h"

namespace qontos::cli {
namespace {

using nlohmann::ordered_json;

std::string hex(const proof::Hash& h) {
  return proof::to_hex(h);
}

ordered_json hex_list(const std::vector<proof::Hash>& hashes) {
  ordered_json out = ordered_json::array();
  for (const proof::Hash& h : hashes) out.push_back(hex(h));
  return out;
}

std::string hex_lines(const std::vector<proof::Hash>& hashes) {
  std::string out;
  for (const proof::Hash& h : hashes) out += hex(h) + "\n";
  return out;
}

/// Whether a payload can go into JSON as a string (nlohmann refuses invalid UTF-8 when dumping).
bool is_utf8_text(const std::string& s) {
  try {
    (void)ordered_json(s).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

std::filesystem::path ledger_path(const LedgerCliOptions& o) {
  if (!o.ledger.empty()) return o.ledger;
  return load_settings().ledger;
}

ledger::Ledger open_ledger(const LedgerCliOptions& o) {
  return ledger::Ledger::open(ledger_path(o), ledger::Ledger::Mode::kOpenExisting);
}

/// Refuses an entry index at or past the end, naming the file, the index and the valid range.
void check_index(const ledger::Ledger& l, std::uint64_t index, std::uint64_t size, const char* what) {
  if (index < size) return;
  throw ledger::LedgerError(
      l.path(),
      std::string(what) + " is out of range: " + (size == l.size() ? "the ledger has " : "the tree has ") +
          std::to_string(size) + " entries" + (size ? " (0 to " + std::to_string(size - 1) + ")" : std::string()),
      index);
}

int run_verify(const LedgerCliOptions& o) {
  const ledger::Ledger l = open_ledger(o);
  ledger::VerifyOptions options;
  SettingsFlags flags;
  flags.trusted_keys = o.trusted_keys;
  const Settings settings = load_settings(flags);
  if (settings.trusted_keys)
    for (const auto& [id, key] : proof::read_trusted_keys(*settings.trusted_keys)) options.trusted_keys.push_back(key);
  for (const std::string& file : o.checkpoints) options.external_checkpoints.push_back({file, read_text(file)});
  const ledger::VerifyReport r = l.verify(options);
  const std::string trust = r.signatures_authenticated
                                ? "signatures checked against the trusted keys"
                                : "signatures checked only against the keys stored with them; give --trusted-keys "
                                  "to authenticate them";
  if (o.json) {
    ordered_json j;
    j["ledger"] = r.file.string();
    j["ok"] = r.ok();
    j["entries"] = r.size;
    j["root"] = hex(r.root);
    j["checkpoints_checked"] = r.checkpoints_checked;
    j["signatures_authenticated"] = r.signatures_authenticated;
    const auto first = r.first_bad_entry();
    j["first_bad_entry"] = first ? ordered_json(*first) : ordered_json(nullptr);
    ordered_json problems = ordered_json::array();
    for (const ledger::VerifyProblem& p : r.problems) {
      ordered_json q;
      if (p.entry) q["entry"] = *p.entry;
      if (p.entry_end) q["entry_end"] = *p.entry_end;
      if (p.checkpoint) q["checkpoint"] = *p.checkpoint;
      if (!p.external.empty()) q["external"] = p.external;
      q["message"] = p.message;
      problems.push_back(q);
    }
    j["problems"] = problems;
    j["unlisted_problems"] = r.unlisted_problems;
    std::cout << j.dump(2) << "\n";
    return r.ok() ? 0 : 1;
  }
  if (r.ok()) {
    std::cout << r.file.string() << ": ok: " << r.size << " entries, root " << hex(r.root) << "; "
              << r.checkpoints_checked << " checkpoint" << (r.checkpoints_checked == 1 ? "" : "s") << " consistent"
              << (r.checkpoints_checked ? " (" + trust + ")" : std::string(" (sign one: qontos ledger checkpoint)"))
              << "\n";
    return 0;
  }
  for (const ledger::VerifyProblem& p : r.problems) std::cerr << r.describe(p) << "\n";
  const std::size_t total = r.problems.size() + r.unlisted_problems;
  std::cerr << r.file.string() << ": verification FAILED: " << total << " problem" << (total == 1 ? "" : "s");
  if (r.unlisted_problems) std::cerr << " (" << r.unlisted_problems << " not listed)";
  if (const auto first = r.first_bad_entry()) std::cerr << "; first bad entry " << *first;
  std::cerr << "\n";
  return 1;
}

int run_checkpoint(const LedgerCliOptions& o) {
  SettingsFlags flags;
  flags.signing_key = o.key;
  flags.ledger = o.ledger;
  const Settings settings = load_settings(flags);
  // The key is read before the ledger is touched: a bad key file changes nothing.
  const proof::SigningKey key = proof::read_signing_key(settings.signing_key);
  ledger::Ledger l = ledger::Ledger::open(settings.ledger, ledger::Ledger::Mode::kOpenExisting);
  // A refused command stores nothing: the -o file must be writable before a checkpoint is signed
  // and stored. (Its directory is probed with the file's temporary name, which write_output uses.)
  if (!o.output.empty()) {
    const std::string probe = o.output + ".tmp";
    if (!std::ofstream(probe, std::ios::binary | std::ios::trunc)) {
      std::cerr << "qontos: error: cannot write '" << o.output << "'\n";
      return 2;
    }
    std::remove(probe.c_str());
  }
  const ledger::Ledger::SignedCheckpoint c = l.sign_checkpoint(key, o.origin);
  if (!o.output.empty() && !write_output(o.output, c.note)) return 2;
  if (o.json) {
    ordered_json j;
    j["ledger"] = l.path().string();
    j["id"] = c.id;
    j["origin"] = c.checkpoint.origin;
    j["size"] = c.checkpoint.size;
    j["root"] = hex(c.checkpoint.root);
    j["key_id"] = proof::key_id(key.public_key);
    j["note"] = c.note;
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << c.note;
  }
  return 0;
}

int run_prove(const LedgerCliOptions& o) {
  const ledger::Ledger l = open_ledger(o);
  const std::uint64_t size = l.size();
  const std::uint64_t tree_size = o.to_given ? o.to : size;
  if (tree_size > size)
    throw ledger::LedgerError(l.path(), "--size " + std::to_string(tree_size) + " is larger than the ledger (" +
                                            std::to_string(size) + " entries)");
  check_index(l, o.index, tree_size, "--index");
  const proof::Hash leaf = l.leaf_hash(o.index);
  const proof::Hash root = l.root(tree_size);
  const std::vector<proof::Hash> path = l.inclusion_proof(o.index, tree_size);
  // Never hand out a proof that does not check: that would mean damaged stored hashes.
  if (!proof::verify_inclusion(leaf, o.index, tree_size, path, root))
    throw std::logic_error(l.path().string() +
                           ": the stored hashes give a proof that does not verify; run 'qontos ledger verify'");
  if (o.json) {
    ordered_json j;
    j["ledger"] = l.path().string();
    j["index"] = o.index;
    j["size"] = tree_size;
    j["leaf_hash"] = hex(leaf);
    j["root"] = hex(root);
    j["proof"] = hex_list(path);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "index " << o.index << "\nsize " << tree_size << "\nleaf " << hex(leaf) << "\nroot " << hex(root)
              << "\nproof " << path.size() << "\n"
              << hex_lines(path);
  }
  return 0;
}

int run_consistency(const LedgerCliOptions& o) {
  const ledger::Ledger l = open_ledger(o);
  const std::uint64_t size = l.size();
  const std::uint64_t to = o.to_given ? o.to : size;
  if (to > size)
    throw ledger::LedgerError(
        l.path(), "--to " + std::to_string(to) + " is larger than the ledger (" + std::to_string(size) + " entries)");
  if (o.from == 0 || o.from > to)
    throw ledger::LedgerError(l.path(), "--from " + std::to_string(o.from) + " must be from 1 to " +
                                            std::to_string(to) + " (the size of the larger tree)");
  const proof::Hash old_root = l.root(o.from), new_root = l.root(to);
  const std::vector<proof::Hash> path = l.consistency_proof(o.from, to);
  if (!proof::verify_consistency(o.from, to, old_root, new_root, path))
    throw std::logic_error(l.path().string() +
                           ": the stored hashes give a proof that does not verify; run 'qontos ledger verify'");
  if (o.json) {
    ordered_json j;
    j["ledger"] = l.path().string();
    j["from"] = o.from;
    j["to"] = to;
    j["from_root"] = hex(old_root);
    j["to_root"] = hex(new_root);
    j["proof"] = hex_list(path);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "from " << o.from << "\nto " << to << "\nfrom_root " << hex(old_root) << "\nto_root " << hex(new_root)
              << "\nproof " << path.size() << "\n"
              << hex_lines(path);
  }
  return 0;
}

int run_show(const LedgerCliOptions& o) {
  const ledger::Ledger l = open_ledger(o);
  const std::uint64_t size = l.size();
  if (o.from > 0 || size > 0) check_index(l, o.from, size, "--from");
  const std::uint64_t count = o.count_given ? o.count : size - std::min(o.from, size);
  if (o.json) {
    ordered_json entries = ordered_json::array();
    l.for_each_entry(o.from, count, [&](const ledger::Entry& e) {
      ordered_json j;
      j["index"] = e.index;
      j["time"] = e.time;
      j["kind"] = std::string(ledger::kind_name(e.kind));
      j["actor"] = e.actor;
      j["payload_sha256"] = hex(e.payload_hash);
      j["leaf_hash"] = hex(e.leaf_hash);
      if (e.payload) {
        j["payload_size"] = e.payload->size();
        if (is_utf8_text(*e.payload))
          j["payload"] = *e.payload;
        else
          j["payload_base64"] = ledger::base64_encode(*e.payload);
      }
      entries.push_back(std::move(j));
    });
    ordered_json j;
    j["ledger"] = l.path().string();
    j["size"] = size;
    j["entries"] = std::move(entries);
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  l.for_each_entry(o.from, count, [&](const ledger::Entry& e) {
    std::cout << e.index << "  " << e.time << "  " << ledger::kind_name(e.kind) << "  " << e.actor
              << "  sha256:" << hex(e.payload_hash) << "  "
              << (e.payload ? std::to_string(e.payload->size()) + " bytes" : std::string("(payload not kept)")) << "\n";
  });
  return 0;
}

}  // namespace

void add_ledger_command(CLI::App& app, LedgerCliOptions& o) {
  CLI::App* ledger = app.add_subcommand("ledger", "Inspect, prove and sign checkpoints of the audit ledger");
  ledger->require_subcommand(1);
  auto common = [&o](CLI::App* cmd) {
    cmd->add_option("--ledger", o.ledger, "The ledger file (default: $QONTOS_LEDGER, config, HOME/ledger.sqlite)");
    cmd->add_flag("--json", o.json, "Print JSON");
    cmd->callback([&o, cmd] { o.action = cmd->get_name(); });
  };

  CLI::App* verify = ledger->add_subcommand(
      "verify", "Recompute every entry, hash and checkpoint; name the first bad entry or checkpoint");
  common(verify);
  verify->add_option("--trusted-keys", o.trusted_keys,
                     "Public keys trusted to sign checkpoints, one 'ed25519 <hex>' per line (default: from the "
                     "settings, if any)");
  verify->add_option("--checkpoint", o.checkpoints,
                     "A checkpoint note kept outside the ledger to hold it to (repeatable)");

  CLI::App* checkpoint =
      ledger->add_subcommand("checkpoint", "Verify, then sign and store a checkpoint of the ledger; print its note");
  common(checkpoint);
  checkpoint->add_option("--key", o.key, "Signing key file (default: from the settings)");
  checkpoint->add_option("--origin", o.origin, "The log's name in the checkpoint (default: the ledger's own)");
  checkpoint->add_option("-o,--output", o.output, "Also write the signed note to this file");

  CLI::App* prove = ledger->add_subcommand("prove", "Print the inclusion proof of an entry");
  common(prove);
  prove->add_option("--index", o.index, "The entry")->required()->check(CLI::NonNegativeNumber);
  prove
      ->add_option_function<std::uint64_t>(
          "--size",
          [&o](const std::uint64_t& v) {
            o.to = v;
            o.to_given = true;
          },
          "The tree the proof is for (default: the whole ledger)")
      ->check(CLI::NonNegativeNumber);

  CLI::App* consistency =
      ledger->add_subcommand("consistency", "Print the proof that the first N entries are a prefix of the first M");
  common(consistency);
  consistency->add_option("--from", o.from, "The smaller tree's size N (at least 1)")
      ->required()
      ->check(CLI::NonNegativeNumber);
  consistency
      ->add_option_function<std::uint64_t>(
          "--to",
          [&o](const std::uint64_t& v) {
            o.to = v;
            o.to_given = true;
          },
          "The larger tree's size M (default: the whole ledger)")
      ->check(CLI::NonNegativeNumber);

  CLI::App* show = ledger->add_subcommand("show", "List entries: index, time, kind, actor, payload hash and size");
  common(show);
  show->add_option("--from", o.from, "The first entry to list (default 0)")->check(CLI::NonNegativeNumber);
  show->add_option_function<std::uint64_t>(
          "--count",
          [&o](const std::uint64_t& v) {
            o.count = v;
            o.count_given = true;
          },
          "How many entries to list (default: all from --from)")
      ->check(CLI::NonNegativeNumber);
}

int run_ledger(const LedgerCliOptions& o) {
  return run_reporting_errors(o.ledger, [&]() -> int {
    if (o.action == "verify") return run_verify(o);
    if (o.action == "checkpoint") return run_checkpoint(o);
    if (o.action == "prove") return run_prove(o);
    if (o.action == "consistency") return run_consistency(o);
    if (o.action == "show") return run_show(o);
    throw std::invalid_argument("qontos ledger needs a subcommand: verify, checkpoint, prove, consistency or show");
  });
}

}  // namespace qontos::cli
