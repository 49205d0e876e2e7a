/**
 * Issue 9: the project folder does not depend on where quasi is run from. It is the nearest
 * folder holding `.quasi/`, `package.json` or `.git`, from the pipeline file's folder up
 * (`--root` overrides), so running from the project, from `pipelines/` or from elsewhere
 * with an absolute path uses one `.quasi/` and one `outputs/`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { quasiIn, smallProject } from '../helpers/cli.ts'

const elsewhere = () => mkdtempSync(join(tmpdir(), 'quasi-elsewhere-'))

test('from the project folder, from pipelines/, and from another folder with an absolute path: one .quasi/ and one outputs/', async () => {
  const dir = smallProject()
  const other = elsewhere()
  const first = await quasiIn(['run', 'pipelines/p.yaml'], dir)
  expect(first.err).toBe('')
  expect(first.out).toContain('2 ran, 0 cached')
  for (const [args, cwd] of [[['run', 'p.yaml'], join(dir, 'pipelines')], [['run', join(dir, 'pipelines/p.yaml')], other]] as const) {
    const r = await quasiIn([...args], cwd)
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain('0 ran, 2 cached')
  }
  for (const cwd of [join(dir, 'pipelines'), other]) {
    expect(existsSync(join(cwd, '.quasi'))).toBe(false)
    expect(existsSync(join(cwd, 'outputs'))).toBe(false)
  }
  expect(readdirSync(join(dir, 'outputs/p')).sort()).toEqual(['panel', 'run.json', 'vars'])
  expect((await quasiIn(['status', join(dir, 'pipelines/p.yaml')], other)).out).toMatch(/vars\s+derive\s+fresh/)
  expect((await quasiIn(['validate', 'p.yaml'], join(dir, 'pipelines'))).code).toBe(0)
})

test('the nearest marker wins: .quasi/ below a package.json, a .git file (worktree), none at all', async () => {
  const outer = smallProject()
  mkdirSync(join(outer, 'pipelines/.quasi'))
  expect((await quasiIn(['run', 'pipelines/p.yaml'], outer)).code).toBe(0)
  expect(existsSync(join(outer, 'pipelines/outputs/p/vars'))).toBe(true)
  expect(existsSync(join(outer, 'outputs'))).toBe(false)

  const git = smallProject()
  rmSync(join(git, 'package.json'))
  writeFileSync(join(git, '.git'), 'gitdir: /somewhere/else\n')
  expect((await quasiIn(['run', join(git, 'pipelines/p.yaml')], elsewhere())).code).toBe(0)
  expect(existsSync(join(git, 'outputs/p/vars'))).toBe(true)
})

test('without a marker: the working directory if the file is under it, else the file\'s folder', async () => {
  const bare = smallProject()
  rmSync(join(bare, 'package.json'))
  expect((await quasiIn(['run', 'pipelines/p.yaml'], bare)).code).toBe(0)
  expect(existsSync(join(bare, '.quasi'))).toBe(true)
  // now marked by the .quasi/ that run made: the same folder from anywhere
  expect((await quasiIn(['run', join(bare, 'pipelines/p.yaml')], elsewhere())).out).toContain('0 ran, 2 cached')

  const away = smallProject()
  rmSync(join(away, 'package.json'))
  expect((await quasiIn(['run', join(away, 'pipelines/p.yaml')], elsewhere())).code).toBe(0)
  expect(existsSync(join(away, 'pipelines/.quasi'))).toBe(true)
})

test('--root overrides; a path outside the project names the folder, how it was found, and how to change it', async () => {
  const dir = smallProject()
  const root = join(dir, 'pipelines')
  expect((await quasiIn(['run', 'pipelines/p.yaml', '--root', 'pipelines'], dir)).code).toBe(0)
  expect(existsSync(join(root, 'outputs/p'))).toBe(true)

  writeFileSync(join(dir, 'outside.csv'), 'city,year,gdp\na,2000,1\n')
  writeFileSync(join(dir, 'pipelines/p.yaml'), 'quasi: 1\nname: p\nstages:\n  panel: { uses: ingest, with: { file: ../outside.csv } }\n')
  const r = await quasiIn(['validate', 'pipelines/p.yaml', '--root', 'pipelines'], dir)
  expect(r.code).toBe(2)
  expect(r.err).toContain('error PATH_OUTSIDE_PROJECT')
  expect(r.err).toContain(`the project folder is ${root} (given by --root)`)
  expect(r.err).toContain('Pass --root DIR to choose another project folder, or --allow-outside')
  const found = await quasiIn(['validate', 'p.yaml', '--root', '.'], root)
  expect(found.err).toContain(`the project folder is ${root} (given by --root)`)
  // The --root run left pipelines/.quasi, which now marks pipelines/ as a project of its own;
  // without it, the package.json above marks the project, and ../outside.csv is inside it.
  rmSync(join(root, '.quasi'), { recursive: true })
  const marked = await quasiIn(['validate', join(dir, 'pipelines/p.yaml')], elsewhere())
  expect(marked.err).toBe('')
  expect(marked.code).toBe(0)
})

test('an absolute data path inside the project is accepted; one outside is refused with the project folder named', async () => {
  const dir = smallProject()
  const inside = join(dir, 'pipelines/data/p.csv')
  writeFileSync(join(dir, 'pipelines/p.yaml'), `quasi: 1\nname: p\nstages:\n  panel: { uses: ingest, with: { file: ${inside}, panel: false } }\n`)
  const ok = await quasiIn(['run', 'pipelines/p.yaml'], dir)
  expect(ok.err).toBe('')
  expect(ok.code).toBe(0)

  const out = join(elsewhere(), 'x.csv')
  writeFileSync(out, 'city,year\na,1\n')
  writeFileSync(join(dir, 'pipelines/p.yaml'), `quasi: 1\nname: p\nstages:\n  panel: { uses: ingest, with: { file: ${out} } }\n`)
  const bad = await quasiIn(['validate', 'pipelines/p.yaml'], dir)
  expect(bad.code).toBe(2)
  expect(bad.err).toContain(`path \`${out}\` is outside the project folder`)
  expect(bad.err).toContain(`the project folder is ${dir} (the nearest folder holding .quasi/, from the pipeline file's folder up)`)
})
