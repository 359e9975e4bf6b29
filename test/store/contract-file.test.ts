/** The Store contract on the embedded store (lowdb files in a temp directory per test). */
import { rm } from 'node:fs/promises';
import { createFileStore } from '../../src/store/lowdb/index';
import { tempDir } from '../helpers/server';
import { storeContract } from './contract';

storeContract('embedded files', {
  async data() {
    const dir = await tempDir('thutuc-contract-');
    return { open: (now) => createFileStore(dir, now), drop: () => rm(dir, { recursive: true, force: true }) };
  },
});
