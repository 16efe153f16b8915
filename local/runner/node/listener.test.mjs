// The app's view, end to end, with the Firebase JS SDK as the client: a signed-in user's
// onSnapshot listener on their notifications sees the notification of their upload (made through
// the API and the whole pipeline), and listening to another user's is refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { initializeApp, deleteApp } from 'firebase/app';
import { getAuth, connectAuthEmulator, createUserWithEmailAndPassword } from 'firebase/auth';
import {
  getFirestore,
  connectFirestoreEmulator,
  collection,
  onSnapshot,
  updateDoc,
  serverTimestamp,
} from 'firebase/firestore';

const api = process.env.CIRRUS_API_URL;
const app = initializeApp({ projectId: process.env.GOOGLE_CLOUD_PROJECT, apiKey: 'demo-key' });
const auth = getAuth(app);
connectAuthEmulator(auth, `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}`, {
  disableWarnings: true,
});
const db = getFirestore(app);
const [host, port] = process.env.FIRESTORE_EMULATOR_HOST.split(':');
connectFirestoreEmulator(db, host, Number(port));

after(async () => {
  await deleteApp(app);
});

async function call(method, path, token, body) {
  const response = await fetch(api + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

function nextSnapshot(query, accept, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('no matching snapshot in time'));
    }, timeoutMs);
    const stop = onSnapshot(
      query,
      (snapshot) => {
        const found = snapshot.docs.find(accept);
        if (found) {
          clearTimeout(timer);
          stop();
          resolve(found);
        }
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

test('a user listening to their notifications sees their upload become ready', async () => {
  const { user } = await createUserWithEmailAndPassword(
    auth, `listener-${Date.now()}@example.com`, 'secret123');
  const token = await user.getIdToken();
  assert.equal((await call('GET', '/v1/me', token)).status, 200);

  const bytes = Buffer.from('seen through onSnapshot');
  const created = await call('POST', '/v1/uploads', token, {
    filename: 'watched.txt',
    contentType: 'text/plain',
    size: bytes.length,
    md5: createHash('md5').update(bytes).digest('base64'),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const uploadId = created.body.uploadId;
  const mine = collection(db, `users/${user.uid}/notifications`);
  const seen = nextSnapshot(mine, (d) => d.get('data.uploadId') === uploadId, 45_000);
  const put = await fetch(created.body.uploadUrl, { method: 'PUT', body: bytes });
  assert.equal(put.status, 200);

  const notification = await seen;
  assert.deepEqual(Object.keys(notification.data()).sort(),
    ['body', 'createdAt', 'data', 'id', 'readAt', 'title', 'type']);
  assert.equal(notification.get('type'), 'file.ready');
  assert.equal(notification.get('id'), notification.id);
  assert.equal(notification.get('readAt'), null);
  assert.match(notification.get('body'), /watched\.txt/);

  // The app marks it read directly, as the rules allow, and the API agrees.
  await updateDoc(notification.ref, { readAt: serverTimestamp() });
  const unread = await call('GET', '/v1/notifications?unreadOnly=true', token);
  assert.equal(unread.body.unreadCount, 0);
});

test("listening to another user's notifications is refused", async () => {
  const theirs = collection(db, 'users/someone-else/notifications');
  await assert.rejects(nextSnapshot(theirs, () => true, 15_000), (error) => {
    assert.equal(error.code, 'permission-denied');
    return true;
  });
});
