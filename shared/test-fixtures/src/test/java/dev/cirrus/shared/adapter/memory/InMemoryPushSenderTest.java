package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.notifications.PushSender;
import dev.cirrus.shared.notifications.PushSenderContract;

class InMemoryPushSenderTest extends PushSenderContract {
  private final InMemoryPushSender sender = new InMemoryPushSender();

  @Override
  protected PushSender sender() {
    return sender;
  }

  @Override
  protected void unregister(String token) {
    sender.breakToken(token, PushSender.Status.TOKEN_GONE);
  }

  @Override
  protected void overQuotaOnce(String token) {
    sender.failNext(token, PushSender.Status.TRANSIENT, 1);
  }

  @Override
  protected int acceptedFor(String token) {
    return (int) sender.sent().stream().filter(p -> p.token().equals(token)).count();
  }
}
