// Who signs and who is recorded: the signing key a command uses (created on first use at the
// default location, never elsewhere) and the provenance of a run.
#pragma once

#include <string>

#include "common/settings.h"
#include "proof/keys.h"
#include "proof/run_proof.h"

namespace qontos::cli {

struct SigningIdentity {
  proof::SigningKey key;
  std::string key_id;
  bool created = false;  // a new key was written at the default location
  std::string path;
};

/// The key at settings.signing_key. When that is the default location (HOME/keys/qontos.key)
/// and no key exists yet, a new one is created there (and `created` set); a key named by a flag,
/// the environment or config.json must exist (proof::KeyError otherwise).
SigningIdentity signing_identity(const Settings& settings);

proof::Provenance provenance_for(const Settings& settings, const std::string& purpose);

}  // namespace qontos::cli
