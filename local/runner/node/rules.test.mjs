// The Firestore security rules of emulator-config/firestore.rules, with Firebase's own rules
// testing library: what a signed-in owner, another user and an anonymous client may do.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  initializeTestEnvironment,
  assertSucceeds,
  assertFails,
} from '@firebase/rules-unit-testing';
import {
  doc,
  getDoc,
  getDocs,
  collection,
  setDoc,
  updateDoc,
  deleteDoc,
  serverTimestamp,
  Timestamp,
} from 'firebase/firestore';

const [host, port] = process.env.FIRESTORE_EMULATOR_HOST.split(':');
let env;

before(async () => {
  env = await initializeTestEnvironment({
    // A project of its own: the emulator keeps rules per project, and the stack's stays as it is.
    projectId: 'demo-cirrus-rules',
    firestore: {
      host,
      port: Number(port),
      rules: readFileSync(process.env.CIRRUS_FIRESTORE_RULES, 'utf8'),
    },
  });
  await env.withSecurityRulesDisabled(async (ctx) => {
    const db = ctx.firestore();
    await setDoc(doc(db, 'users/alice'), { email: 'alice@example.com', quota: { usedBytes: 0 } });
    await setDoc(doc(db, 'users/alice/notifications/n1'), {
      id: 'n1', type: 'file.ready', title: 'Upload ready', body: 'a.jpg is ready.',
      data: { uploadId: 'u1' }, createdAt: Timestamp.now(), readAt: null,
    });
    await setDoc(doc(db, 'users/alice/devices/d1'), { token: 'secret-token', platform: 'ios' });
    await setDoc(doc(db, 'uploads/u1'), { ownerUid: 'alice', status: 'pending' });
    await setDoc(doc(db, 'files/u1'), { ownerUid: 'alice', status: 'ready' });
    await setDoc(doc(db, 'processedEvents/e1'), { key: 'x' });
    await setDoc(doc(db, 'deadLetters/m1'), { topic: 'file-events' });
  });
});

after(async () => {
  await env.cleanup();
});

const alice = () => env.authenticatedContext('alice').firestore();
const bob = () => env.authenticatedContext('bob').firestore();
const anonymous = () => env.unauthenticatedContext().firestore();

test('a user reads their own profile, nobody else does', async () => {
  await assertSucceeds(getDoc(doc(alice(), 'users/alice')));
  await assertFails(getDoc(doc(bob(), 'users/alice')));
  await assertFails(getDoc(doc(anonymous(), 'users/alice')));
});

test('a user reads and lists their own notifications, nobody else does', async () => {
  await assertSucceeds(getDoc(doc(alice(), 'users/alice/notifications/n1')));
  const mine = await assertSucceeds(getDocs(collection(alice(), 'users/alice/notifications')));
  assert.equal(mine.size, 1);
  await assertFails(getDoc(doc(bob(), 'users/alice/notifications/n1')));
  await assertFails(getDocs(collection(bob(), 'users/alice/notifications')));
  await assertFails(getDocs(collection(anonymous(), 'users/alice/notifications')));
});

test('the owner may set readAt to a time, and change nothing else', async () => {
  await assertFails(
    updateDoc(doc(alice(), 'users/alice/notifications/n1'), { readAt: Timestamp.fromMillis(0) }));
  await assertSucceeds(
    updateDoc(doc(alice(), 'users/alice/notifications/n1'), { readAt: serverTimestamp() }));
  // Once read, it stays read as it was: neither unread again nor read at another time.
  await assertFails(
    updateDoc(doc(alice(), 'users/alice/notifications/n1'), { readAt: serverTimestamp() }));
  await assertFails(updateDoc(doc(alice(), 'users/alice/notifications/n1'), { readAt: null }));
  await assertFails(updateDoc(doc(alice(), 'users/alice/notifications/n1'), { title: 'mine now' }));
  await assertFails(
    updateDoc(doc(alice(), 'users/alice/notifications/n1'), { readAt: serverTimestamp(), body: 'x' }));
  await assertFails(updateDoc(doc(alice(), 'users/alice/notifications/n1'), { readAt: 'yesterday' }));
  await assertFails(
    updateDoc(doc(bob(), 'users/alice/notifications/n1'), { readAt: serverTimestamp() }));
  await assertFails(
    updateDoc(doc(anonymous(), 'users/alice/notifications/n1'), { readAt: serverTimestamp() }));
});

test('nobody creates or deletes notifications, or writes a profile, from a client', async () => {
  const forged = {
    id: 'n2', type: 'promo', title: 't', body: 'b', data: {}, createdAt: Timestamp.now(), readAt: null,
  };
  await assertFails(setDoc(doc(alice(), 'users/alice/notifications/n2'), forged));
  await assertFails(setDoc(doc(bob(), 'users/alice/notifications/n2'), forged));
  await assertFails(deleteDoc(doc(alice(), 'users/alice/notifications/n1')));
  await assertFails(updateDoc(doc(alice(), 'users/alice'), { 'quota.usedBytes': -1 }));
  await assertFails(setDoc(doc(alice(), 'users/alice'), { email: 'x' }));
  await assertFails(setDoc(doc(anonymous(), 'users/mallory'), { email: 'x' }));
});

test('everything else is closed to clients, the owner included', async () => {
  for (const path of [
    'users/alice/devices/d1', 'uploads/u1', 'files/u1', 'processedEvents/e1', 'deadLetters/m1',
  ]) {
    await assertFails(getDoc(doc(alice(), path)), path);
    await assertFails(setDoc(doc(alice(), path), { x: 1 }), path);
  }
  await assertFails(getDocs(collection(alice(), 'users/alice/devices')));
  await assertFails(getDocs(collection(alice(), 'uploads')));
});
