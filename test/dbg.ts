import { realContent } from './engine/real-content';
const c = await realContent();
for (const q of process.argv.slice(2)) { const m = c.places.resolve(q); console.log(q, m.kind, JSON.stringify(m).slice(0, 300)); }
