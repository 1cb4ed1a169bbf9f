#include "cli/signing_identity.h"

#include <unistd.h>

#include <filesystem>

namespace qontos::cli {

SigningIdentity signing_identity(const Settings& settings) {
  SigningIdentity id;
  id.path = settings.signing_key.string();
  const std::filesystem::path default_key = settings.home / "keys" / "qontos.key";
  if (!std::filesystem::exists(settings.signing_key) && settings.signing_key == default_key) {
    proof::write_key_pair(default_key.parent_path(), proof::generate_key());
    id.created = true;
  }
  id.key = proof::read_signing_key(settings.signing_key);
  id.key_id = proof::key_id(id.key.public_key);
  return id;
}

proof::Provenance provenance_for(const Settings& settings, const std::string& purpose) {
  proof::Provenance p;
  p.actor = settings.actor;
  p.tenant = settings.tenant;
  char host[256] = {};
  p.host = gethostname(host, sizeof host - 1) == 0 ? host : "unknown";
  p.time_utc = proof::utc_now();
  p.purpose = purpose;
  return p;
}

}  // namespace qontos::cli
