#!/usr/bin/env python3
"""Districts that GSO's list of 01/03/2025 no longer has, traced commune by commune.

Reads the two snapshots of GSO's administrative list that PROVENANCE.md names as S2
(daohoangson/dvhcvn, tags v20250101 and v20250301; GPL-3.0), checks their sha256 against
raw-MANIFEST.json, and writes districts-before-2025.json: every district of the earlier list
whose code and name the later list does not have together (dissolved, merged, or renamed),
with its communes (by GSO code) and the district each of them is under in the later list.
A commune whose code the later list does not have is listed as untraced: the lists do not say
where it went. Nothing is typed in by hand; the resolutions that made these changes are not in
the sources, so the file does not name them.

Usage: python3 districts-before-2025.py <folder holding dvhcvn.v20250101.json and dvhcvn.v20250301.json>
(the raw/daohoangson-dvhcvn/data folder of the national build). Deterministic.
"""
import hashlib, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
raw = sys.argv[1]
manifest = {m['raw_path']: m for m in json.load(open(os.path.join(HERE, 'raw-MANIFEST.json'), encoding='utf-8'))}
files = {}
snap = {}
for tag in ('v20250101', 'v20250301'):
    name = f'dvhcvn.{tag}.json'
    data = open(os.path.join(raw, name), 'rb').read()
    key = f'daohoangson-dvhcvn/data/{name}'
    sha = hashlib.sha256(data).hexdigest()
    if manifest[key]['sha256'] != sha:
        sys.exit(f'{name}: sha256 {sha} is not the one raw-MANIFEST.json records')
    files[key] = {'sha256': sha, 'repository': manifest[key]['repository'], 'commit': manifest[key]['commit'], 'path_in_repository': manifest[key]['path_in_repository']}
    snap[tag] = json.loads(data)['data']

def index(data):
    districts, communes = {}, {}
    for p in data:
        for d in p['level2s']:
            districts[d['level2_id']] = {'province': p['name'], 'name': d['name'], 'type': d['type']}
            for c in d['level3s']:
                communes[c['level3_id']] = {'name': c['name'], 'district_code': d['level2_id'], 'district': d['name']}
    return districts, communes

d1, c1 = index(snap['v20250101'])
d2, c2 = index(snap['v20250301'])
out = []
for code in sorted(d1):
    before = d1[code]
    after = d2.get(code)
    if after and after['name'] == before['name']:
        continue
    communes = sorted((k for k, v in c1.items() if v['district_code'] == code))
    traced = [{'code': k, 'name': c1[k]['name'], 'later_district': c2[k]['district']} for k in communes if k in c2]
    untraced = [{'code': k, 'name': c1[k]['name']} for k in communes if k not in c2]
    out.append({
        'code': code,
        'name': before['name'],
        'province': before['province'],
        'later_name_of_code': after['name'] if after else None,
        'later_districts': sorted({t['later_district'] for t in traced}),
        'communes': traced,
        'untraced': untraced,
    })
doc = {
    'description': 'Districts in GSO\'s administrative list tagged v20250101 whose code and name the list of 01/03/2025 (v20250301) does not have together, with the district each of their communes is under in the later list (matched by GSO commune code). Built by districts-before-2025.py; derived from GPL-3.0 data (daohoangson/dvhcvn). The resolutions that made the changes are not in these sources and are not named here.',
    'files': files,
    'districts': out,
}
with open(os.path.join(HERE, 'districts-before-2025.json'), 'w', encoding='utf-8') as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write('\n')
print(f'{len(out)} districts: ' + '; '.join(f"{d['name']} ({d['province']}) → {', '.join(d['later_districts']) or 'untraced'} [{len(d['communes'])} traced, {len(d['untraced'])} untraced]" for d in out))
