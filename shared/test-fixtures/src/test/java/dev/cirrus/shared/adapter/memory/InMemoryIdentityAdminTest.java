package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.admin.IdentityAdmin;
import dev.cirrus.shared.admin.IdentityAdminContract;
import java.time.Clock;
import java.util.UUID;

class InMemoryIdentityAdminTest extends IdentityAdminContract {
  private final InMemoryIdentityAdmin admin = new InMemoryIdentityAdmin(Clock.systemUTC());

  @Override
  protected IdentityAdmin admin() {
    return admin;
  }

  @Override
  protected String signUp(String email) {
    return admin.add("uid-" + UUID.randomUUID(), email).uid();
  }

  @Override
  protected void setOtherClaim(String uid, String name, String value) {
    admin.putClaim(uid, name, value);
  }

  @Override
  protected String otherClaim(String uid, String name) {
    return admin.claim(uid, name);
  }
}
