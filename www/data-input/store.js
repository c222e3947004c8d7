// The own data set, kept in this browser's IndexedDB so a reload finds it: the file's text and
// how it was read (header, target), never anything derived. One slot, shared by the demos: the
// data set is the user's, not a demo's. Nothing here leaves the machine.

const DATABASE = 'lr-playground';
const STORE = 'own-data';
const KEY = 'current';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact(mode, use) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const request = use(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

/** The saved data set { name, text, header, target } or null (none, or no IndexedDB here). */
export async function loadOwnData() {
  if (typeof indexedDB === 'undefined') return null;
  return (await transact('readonly', (store) => store.get(KEY))) ?? null;
}

/** Keeps `source` ({ name, text, header, target }) for the next visit; resolves once written. */
export function saveOwnData(source) {
  return transact('readwrite', (store) => store.put(source, KEY));
}
