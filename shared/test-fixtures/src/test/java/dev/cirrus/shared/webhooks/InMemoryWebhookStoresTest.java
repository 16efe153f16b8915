package dev.cirrus.shared.webhooks;

import dev.cirrus.shared.adapter.memory.InMemoryWebhookDeliveries;
import dev.cirrus.shared.adapter.memory.InMemoryWebhookEndpoints;

/** The contract, on the in-memory fakes. */
class InMemoryWebhookStoresTest extends WebhookStoresContract {
  private final WebhookEndpoints endpoints = new InMemoryWebhookEndpoints();
  private final WebhookDeliveries deliveries = new InMemoryWebhookDeliveries();

  @Override
  protected WebhookEndpoints endpoints() {
    return endpoints;
  }

  @Override
  protected WebhookDeliveries deliveries() {
    return deliveries;
  }
}
