// GET /v1/me the way a Firebase developer writes it in Node: the Functions Framework,
// firebase-admin's verifyIdToken, one Firestore read, Firestore over REST (preferRest, as
// Firebase's own tooling sets it for functions). The peer local/bench/users measures against.
import functions from "@google-cloud/functions-framework";
import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { initializeFirestore } from "firebase-admin/firestore";
import { OAuth2Client } from "google-auth-library";

const app = initializeApp({ projectId: process.env.GOOGLE_CLOUD_PROJECT });
const db = initializeFirestore(app, { preferRest: true });
if (process.env.FIRESTORE_EMULATOR_HOST) {
  // Firestore's REST transport asks Google's auth library for credentials even for the
  // emulator, and this machine has none; firebase-admin passes only preferRest on, so the
  // emulator's admin token (what the gRPC transport sends) is set on the client itself.
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: "owner" });
  db.settings({ authClient });
}
const auth = getAuth(app);

functions.http("me", async (req, res) => {
  const match = /^Bearer (.+)$/.exec(req.get("authorization") || "");
  if (!match) {
    res.status(401).json({ error: "unauthenticated" });
    return;
  }
  let token;
  try {
    token = await auth.verifyIdToken(match[1]);
  } catch {
    res.status(401).json({ error: "unauthenticated" });
    return;
  }
  const snapshot = await db.collection("users").doc(token.uid).get();
  res.json({ uid: token.uid, email: token.email ?? null, ...(snapshot.exists ? snapshot.data() : {}) });
});
