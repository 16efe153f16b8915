package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.processing.EventClaims;
import dev.cirrus.shared.processing.EventClaimsContract;

class InMemoryEventClaimsTest extends EventClaimsContract {
  private final InMemoryEventClaims claims = new InMemoryEventClaims();

  @Override
  protected EventClaims claims() {
    return claims;
  }
}
