/**
 * Where the app finds Cirrus and Firebase: /config.json, written by whoever serves the app (the
 * local stack for the emulators, the Hosting deploy for production), so one build runs anywhere.
 */
export type Config = {
  apiUrl: string;
  projectId: string;
  apiKey: string;
  authDomain?: string;
  /** host:port of the Auth emulator; only ever set for demo- projects. */
  authEmulatorHost?: string;
};

export async function loadConfig(): Promise<Config> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) {
    throw new Error(`the app's configuration is missing (HTTP ${response.status})`);
  }
  return (await response.json()) as Config;
}
