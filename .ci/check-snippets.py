#!/usr/bin/env python3
"""Proves the READMEs as a new user reads them: for README.md, every packed project's README and docs/*.md, each ```csharp
snippet becomes a fresh project OUTSIDE the repository that references only the packages the same file tells the
reader to add (its `dotnet add package` lines, run as written), restored from the locally packed .nupkg files
(NaiveStrategy* only from there, everything else from NuGet). A snippet with top-level statements is built and
run (it must exit 0; the root quickstart must log to the console); one that only declares types is built.
A snippet whose first line is `// sketch` (code around types the reader writes, e.g. an adapter for another
exchange) is skipped and counted.

usage: check-snippets.py PACKAGES_DIR   (prints one line per snippet and a closing `snippets: N built, N ran, N skipped, N failed`)
"""
import os, re, shutil, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
feed = os.path.abspath(sys.argv[1])
packed = sorted({re.sub(r'\.\d+\.\d+\.\d+.*\.nupkg$', '', f) for f in os.listdir(feed) if f.endswith('.nupkg')})
readmes = ['README.md'] + [f'src/{p}/README.md' for p in packed if os.path.exists(os.path.join(root, 'src', p, 'README.md'))]
# The task pages of docs/ too: every snippet there is a reader's first try.
readmes += sorted(f'docs/{f}' for f in os.listdir(os.path.join(root, 'docs')) if f.endswith('.md'))
# What the root quickstart must print: the book's first log line.
expected = {'README.md': 'Initializing new trader'}

work = tempfile.mkdtemp(prefix='naive-snippets-')
with open(os.path.join(work, 'nuget.config'), 'w') as f:
    f.write(f'''<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <!-- Fresh: packed packages keep their version from one build to the next, so a shared cache would be stale. -->
    <add key="globalPackagesFolder" value="{work}/packages" />
  </config>
  <fallbackPackageFolders><clear /><add key="shared" value="{os.path.expanduser('~/.nuget/packages')}" /></fallbackPackageFolders>
  <packageSources><clear /><add key="local" value="{feed}" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="NaiveStrategy" /><package pattern="NaiveStrategy.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
''')
# An empty Directory.Build.props/.targets and no central package management: nothing of the repository leaks in.
for name in ('Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props'):
    with open(os.path.join(work, name), 'w') as f:
        f.write('<Project />\n')

env = dict(os.environ, DOTNET_NOLOGO='1', DOTNET_CLI_TELEMETRY_OPTOUT='1', CI='')
built = ran = skipped = failed = 0

def run(cmd, cwd, timeout=600):
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr

for readme in readmes:
    text = open(os.path.join(root, readme), encoding='utf-8').read()
    adds = re.findall(r'^\s*(dotnet add package [A-Za-z0-9_.\-]+(?: --[a-z\-]+ \S+)*)\s*$', text, flags=re.M)
    snippets = re.findall(r'^```csharp\n(.*?)^```', text, flags=re.M | re.S)
    for i, code in enumerate(snippets, 1):
        name = f'{readme}#{i}'
        if code.lstrip().startswith('// sketch'):
            skipped += 1
            print(f'SKIP {name} (sketch)')
            continue
        # Top-level statements: a line at column 0 that is not a using, a declaration, an attribute, a brace or a comment.
        program = any(re.match(r'(?!using |namespace |public |internal |sealed |file |static |\[|\}|\{|//|#)\S', l) for l in code.splitlines())
        d = os.path.join(work, re.sub(r'[^A-Za-z0-9]+', '_', name).strip('_'))
        os.makedirs(d)
        with open(os.path.join(d, 'Snippet.csproj'), 'w') as f:
            f.write(f'''<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>{'Exe' if program else 'Library'}</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
</Project>
''')
        with open(os.path.join(d, 'Program.cs' if program else 'Snippet.cs'), 'w') as f:
            f.write(code)
        json = re.findall(r'`appsettings\.json`[^\n]*\n+```json\n(.*?)^```', text, flags=re.M | re.S)
        if program and json:
            with open(os.path.join(d, 'appsettings.json'), 'w') as f:
                f.write(json[0])
        problem = None
        for add in adds:
            rc, out = run(add.split(), d)
            if rc != 0:
                problem = f'`{add}` failed:\n{out[-2000:]}'
                break
        if problem is None:
            rc, out = run(['dotnet', 'build', '-c', 'Release', '-warnaserror'], d)
            if rc != 0:
                problem = 'does not build:\n' + '\n'.join(l for l in out.splitlines() if ' error ' in l)[:4000]
        if problem is None:
            built += 1
            if program:
                rc, out = run(['dotnet', 'run', '-c', 'Release', '--no-build'], d, timeout=120)
                if rc != 0:
                    problem = f'exited {rc}:\n{out[-2000:]}'
                elif readme in expected and expected[readme] not in out:
                    problem = f'ran but did not log "{expected[readme]}":\n{out[-2000:]}'
                else:
                    ran += 1
        if problem is None:
            print(f'PASS {name} ({len(adds)} packages; {"built and ran" if program else "built"})')
        else:
            failed += 1
            print(f'FAIL {name}: {problem}')

print(f'snippets: {built} built, {ran} ran, {skipped} skipped, {failed} failed')
shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failed or built == 0 else 0)
