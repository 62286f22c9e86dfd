"""Debian packages each job needs; installs what is missing when run as root."""

import os
import shutil
import subprocess
import sys

# One list per make target; a target needs its own list and those before it.
# Not gcc-multilib: on Debian it conflicts with every gcc-<arch>-linux-gnu
# cross compiler; its two parts the -m32 harness cases need do not.
# libpython3-dev: spatch runs the rules' python scripts through
# libpython3.X.so, which only the -dev package ships (found by make fresh-check).
# patch: the audit's patch-mode test applies spatch's diff with it; a minbase
# root has none (found by make fresh-check).  distcc: make check's distcc
# path has a test of its own, which a machine without it used to skip.
# qemu-user: a host kernel without IA32 emulation builds the -m32 harness
# cases but cannot exec them; qemu-i386 runs them (found on CI's machine).
PACKAGES = {
    'series': ['coccinelle', 'libpython3-dev', 'git', 'make', 'gcc', 'python3', 'xz-utils', 'perl',
               'ca-certificates'],
    'test': ['python3-pytest', 'ccache', 'lib32gcc-12-dev', 'libc6-dev-i386', 'bc', 'bison',
             'flex', 'libelf-dev', 'libssl-dev', 'cpio', 'kmod', 'rsync', 'qemu-system-x86', 'busybox-static',
             'gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross', 'python3-matplotlib',
             'libcap-dev', 'uuid-dev', 'b4', 'patch', 'distcc', 'qemu-user'],
    'check': ['gcc-arm-linux-gnueabi', 'gcc-powerpc-linux-gnu', 'gcc-s390x-linux-gnu',
              'gcc-riscv64-linux-gnu', 'debootstrap'],
    'boot': ['qemu-system-arm'],
}
ORDER = ['series', 'test', 'check', 'boot']


def needed(job: str) -> list[str]:
    return [p for name in ORDER[:ORDER.index(job) + 1] for p in PACKAGES[name]]


def missing(packages: list[str]) -> list[str]:
    if not shutil.which('dpkg-query'):
        return []
    proc = subprocess.run(['dpkg-query', '-W', '-f', '${Package} ${db:Status-Status}\n',
                           *packages], capture_output=True, text=True)
    installed = {line.split()[0] for line in proc.stdout.splitlines()
                 if line.endswith(' installed')}
    return [p for p in packages if p not in installed]


def ensure(job: str) -> int:
    todo = missing(needed(job))
    if not todo:
        return 0
    command = ['apt-get', 'install', '-y', '--no-install-recommends', *todo]
    if os.geteuid() != 0:
        print('missing Debian packages; as root run:\n  ' + ' '.join(command), file=sys.stderr)
        return 1
    print('installing: ' + ' '.join(todo), flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    if subprocess.run(command, env=env).returncode != 0:
        subprocess.run(['apt-get', 'update', '-q'], env=env, check=False)
        if subprocess.run(command, env=env).returncode != 0:
            print('apt-get install failed: ' + ' '.join(todo), file=sys.stderr)
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(ensure(sys.argv[1] if len(sys.argv) > 1 else 'series'))
