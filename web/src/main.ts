import { initializeApp } from "firebase/app";
import { CustomProvider, getToken, initializeAppCheck, ReCaptchaEnterpriseProvider, type AppCheck } from "firebase/app-check";
import {
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  getAuth,
  onAuthStateChanged,
  signInWithEmailAndPassword,
  signOut,
  type Auth,
} from "firebase/auth";
import { Account } from "./account";
import { CirrusClient } from "./client";
import { type Config, loadConfig } from "./config";
import { Details } from "./details";
import { $, clearProblem, show } from "./dom";
import { Gallery } from "./gallery";
import { Uploads } from "./uploads";

/**
 * App Check as production enforces it: reCAPTCHA Enterprise with the site key the build names; in
 * a demo project the local stack's own issuer stands in, as a custom provider.
 */
function appCheckOf(app: ReturnType<typeof initializeApp>, config: Config): AppCheck | undefined {
  if (config.appCheckMintUrl) {
    const mint = config.appCheckMintUrl;
    return initializeAppCheck(app, {
      provider: new CustomProvider({
        getToken: async () => {
          const response = await fetch(`${mint}?appId=${encodeURIComponent(config.appId ?? "web")}`, { method: "POST" });
          const { token, ttl } = (await response.json()) as { token: string; ttl: string };
          return { token, expireTimeMillis: Date.now() + parseInt(ttl, 10) * 1000 };
        },
      }),
      isTokenAutoRefreshEnabled: true,
    });
  }
  if (config.recaptchaSiteKey) {
    return initializeAppCheck(app, {
      provider: new ReCaptchaEnterpriseProvider(config.recaptchaSiteKey),
      isTokenAutoRefreshEnabled: true,
    });
  }
  return undefined;
}

function wireSignIn(auth: Auth): void {
  const form = $<HTMLFormElement>("auth");
  const credentials = () => [$<HTMLInputElement>("email").value, $<HTMLInputElement>("password").value] as const;
  $("sign-up").addEventListener("click", async () => {
    clearProblem();
    if (!form.reportValidity()) return;
    const [email, password] = credentials();
    await createUserWithEmailAndPassword(auth, email, password).catch(show);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblem();
    const [email, password] = credentials();
    await signInWithEmailAndPassword(auth, email, password).catch(show);
  });
  $("sign-out").addEventListener("click", () => {
    localStorage.removeItem(SIGNED_IN);
    signOut(auth).catch(show);
  });
}

/**
 * Set while a user is signed in and removed when they sign out themselves, so a sign-out the app
 * did not ask for (Firebase Auth refusing a disabled or deleted account as the page loads) is told.
 */
const SIGNED_IN = "cirrus.signedIn";

/** What the app says once the user's account deletion is done. */
const DELETED = "Your account and all your files were deleted.";

async function start(): Promise<void> {
  const config = await loadConfig();
  const app = initializeApp({
    apiKey: config.apiKey,
    projectId: config.projectId,
    appId: config.appId,
    authDomain: config.authDomain ?? `${config.projectId}.firebaseapp.com`,
  });
  const auth = getAuth(app);
  if (config.authEmulatorHost) {
    connectAuthEmulator(auth, `http://${config.authEmulatorHost}`, { disableWarnings: true });
  }
  const appCheck = appCheckOf(app, config);
  let refusal: string | undefined;
  const api = new CirrusClient(config.apiUrl, {
    idToken: async (refresh) => {
      if (!auth.currentUser) throw new Error("signed out");
      return auth.currentUser.getIdToken(refresh);
    },
    appCheckToken: async () => (appCheck ? (await getToken(appCheck)).token : undefined),
    refused: (why) => {
      refusal = account.deleting ? DELETED : why;
      void signOut(auth);
    },
  });
  const gallery = new Gallery(api, (id) => void details.open(id));
  const details = new Details(api, () => gallery.load(false));
  const uploads = new Uploads(api, () => gallery.load(false));
  const notifications = import("./notifications").then(({ Notifications }) => Notifications.create(app, config, api));
  const account = new Account(api, () => {
    refusal = DELETED;
    show(DELETED);
    void signOut(auth);
  });
  wireSignIn(auth);

  onAuthStateChanged(auth, (user) => {
    $("auth").hidden = user !== null;
    $("app").hidden = user === null;
    $("sign-out").hidden = user === null;
    $("who").textContent = user ? `Signed in as ${user.email}` : "";
    $("files").replaceChildren();
    $("uploads").replaceChildren();
    details.close();
    if (user) {
      localStorage.setItem(SIGNED_IN, user.uid);
      refusal = undefined;
      clearProblem();
      uploads.showInterrupted();
      void notifications.then((n) => n.watch(user.uid), show);
      void gallery.load(false);
      void account.load();
    } else {
      void notifications.then((n) => n.stop(), show);
      if (!refusal && localStorage.getItem(SIGNED_IN)) {
        refusal = "You were signed out: your account was disabled or your sign-in ended. Sign in again.";
      }
      localStorage.removeItem(SIGNED_IN);
      if (refusal) show(refusal);
    }
  });

  $<HTMLInputElement>("files-input").addEventListener("change", (event) => {
    const input = event.target as HTMLInputElement;
    for (const file of Array.from(input.files ?? [])) void uploads.upload(file);
    input.value = "";
  });
  $("more").addEventListener("click", () => void gallery.load(true));
}

start().catch(show);
