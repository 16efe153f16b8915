import type { FirebaseApp } from "firebase/app";
import {
  collection,
  connectFirestoreEmulator,
  Firestore,
  getFirestore,
  limit,
  onSnapshot,
  orderBy,
  query,
  where,
  type Unsubscribe,
} from "firebase/firestore";
import { CirrusClient } from "./client";
import type { Config } from "./config";
import { $, el, show } from "./dom";

/** The list shows the newest; the count says "99+" past what one listener reads. */
const SHOWN = 20;
const COUNTED = 100;

/**
 * The user's notifications, live from Firestore (users/{uid}/notifications, which the security
 * rules let only that user read): the newest, an unread count, and mark one or all read through
 * the API, whose write the listener then shows.
 */
export class Notifications {
  private readonly stops: Unsubscribe[] = [];

  /** Firestore is most of the bundle's weight: main loads this module after the first paint. */
  static create(app: FirebaseApp, config: Config, api: CirrusClient): Notifications {
    const db = getFirestore(app);
    if (config.firestoreEmulatorHost) {
      const [host, port] = config.firestoreEmulatorHost.split(":");
      connectFirestoreEmulator(db, host, Number(port));
    }
    return new Notifications(api, db);
  }

  constructor(
    private readonly api: CirrusClient,
    private readonly db: Firestore,
  ) {
    $("read-all").addEventListener("click", () => void this.api.call("POST", "/v1/notifications:readAll").catch(show));
  }

  watch(uid: string): void {
    this.stop();
    const mine = collection(this.db, "users", uid, "notifications");
    this.stops.push(
      onSnapshot(
        query(mine, orderBy("createdAt", "desc"), limit(SHOWN)),
        (snapshot) => $("notifications-list").replaceChildren(...snapshot.docs.map((d) => this.item(d.id, d.data()))),
        show,
      ),
      onSnapshot(
        query(mine, where("readAt", "==", null), limit(COUNTED)),
        (snapshot) => {
          $("unread").textContent = snapshot.size >= COUNTED ? `${COUNTED - 1}+` : String(snapshot.size);
          $<HTMLButtonElement>("read-all").disabled = snapshot.size === 0;
        },
        show,
      ),
    );
  }

  stop(): void {
    this.stops.splice(0).forEach((stop) => stop());
    $("notifications-list").replaceChildren();
    $("unread").textContent = "0";
  }

  private item(id: string, data: Record<string, unknown>): HTMLLIElement {
    const unread = data.readAt === null || data.readAt === undefined;
    const title = String(data.title ?? data.type ?? "");
    const item = el(
      "li",
      { className: unread ? "unread" : "" },
      el("strong", {}, title),
      el("span", {}, ` ${String(data.body ?? "")}`),
    );
    if (unread) {
      const read = el("button", { type: "button", aria: { label: `Mark read: ${title}` } }, "Mark read");
      read.addEventListener("click", () =>
        void this.api.call("POST", `/v1/notifications/${encodeURIComponent(id)}:read`).catch(show),
      );
      item.append(" ", read);
    }
    return item;
  }
}
