"""ci/guest/build.py: build directory naming, the namespace build script,
the kernel steps and their timing, the static-program check, the
initramfs and the check that the fragments took."""

import shutil
import signal
import stat
import time
from pathlib import Path

import pytest

from ci.arches import GUEST_ARCHES
from ci.guest import build
from test_guest_cpio import read_newc


def elf(tmp_path, name, interp):
    """A minimal ELF64 little-endian header with one program header."""
    import struct
    header = bytearray(64 + 56)
    header[:6] = b'\x7fELF\x02\x01'
    struct.pack_into('<Q', header, 0x20, 64)            # e_phoff
    struct.pack_into('<HH', header, 0x36, 56, 1)        # e_phentsize, e_phnum
    struct.pack_into('<I', header, 64, 3 if interp else 1)
    path = tmp_path / name
    path.write_bytes(bytes(header))
    return path


def test_tree_key_is_stable_readable_and_unique(tmp_path):
    a, b = tmp_path / 'linux 7.2', tmp_path / 'copy' / 'linux 7.2'
    a.mkdir()
    b.mkdir(parents=True)
    assert build.tree_key(a) == build.tree_key(a)
    assert build.tree_key(a) != build.tree_key(b)
    assert build.tree_key(a).startswith('linux_7.2-')
    (tmp_path / 'link').symlink_to(a)
    assert build.tree_key(tmp_path / 'link') == build.tree_key(a)


def test_namespace_script_mounts_the_tree_read_only_at_the_shared_path():
    script = build.namespace_script(Path('/trees/t'), Path('/cache/obj/t-1'),
                                    Path('/cache/mnt'), ['make x', 'make y'])
    assert script.splitlines() == [
        'set -e', 'mount --bind /trees/t /cache/mnt/src',
        'mount -o remount,bind,ro /cache/mnt/src',
        'mount --bind /cache/obj/t-1 /cache/mnt/obj', 'make x', 'make y']


def test_configure_steps_merge_the_fragments_in_order():
    arch, src, obj = GUEST_ARCHES['x86_64'], Path('/m/src'), Path('/m/obj')
    configure = build.configure_steps(arch, src, obj, [Path('/f/a.config'), Path('/f/b.config')])
    assert configure[0].endswith('-s x86_64_defconfig kvm_guest.config')
    assert 'merge_config.sh' in configure[1]
    assert configure[1].endswith('/f/a.config /f/b.config >/dev/null')
    assert configure[2].endswith('olddefconfig')
    arm64 = '\n'.join(build.configure_steps(GUEST_ARCHES['arm64'], src, obj, []))
    assert arm64.splitlines()[0].endswith('-s defconfig')
    assert "'CC=ccache aarch64-linux-gnu-gcc'" in arm64
    assert 'ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-' in arm64


def test_kernel_steps_time_the_kernel_make_and_install_the_uapi_headers():
    arch, src, obj = GUEST_ARCHES['x86_64'], Path('/m/src'), Path('/m/obj')
    steps = build.kernel_steps(arch, src, obj, 'bzImage', 'modules')
    kernel = next(l for l in steps if l.endswith(' bzImage modules'))
    assert kernel.startswith('nice -n 10 make -C /m/src O=/m/obj ARCH=x86')
    assert "'CC=ccache gcc'" in kernel and f'-j{build.JOBS}' in kernel
    assert steps.index(kernel) == 1 and 'start' in steps[0] and 'end' in steps[2]
    assert steps[-1].endswith('headers_install')
    log = ('kernel build start 100.5\nCC x\nkernel build end 160.75\n'
           'kernel build cpu 1m30.5s 0m10.25s\n')
    assert build.kernel_times(log) == (60.2, 100.8)
    assert build.kernel_times('no marks') == (None, None)


def test_program_step_is_static_against_the_tree_uapi():
    step = build.program_step(GUEST_ARCHES['arm64'], Path('/m/src'), Path('/m/obj'),
                              Path('/r/x.c'), Path('/m/obj/t/x'))
    assert step == ('aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror '
                    '-isystem /m/obj/usr/include -I/m/src/drivers/iommu/iommufd '
                    '-o /m/obj/t/x /r/x.c')


def test_is_static(tmp_path):
    assert build.is_static(elf(tmp_path, 'static', False))
    assert not build.is_static(elf(tmp_path, 'dynamic', True))
    script = tmp_path / 'script'
    script.write_text('#!/bin/sh\n')
    assert not build.is_static(script)


@pytest.mark.skipif(not Path('/bin/busybox').exists(), reason='busybox-static not installed')
def test_debian_busybox_is_static_and_ls_is_not():
    assert build.is_static(Path('/bin/busybox'))
    assert not build.is_static(Path(shutil.which('ls')))


def test_initramfs_holds_busybox_guest_sh_the_init_and_the_payload(tmp_path):
    init = tmp_path / 'init.sh'
    init.write_text('#!/bin/sh\n. /lib/guest.sh\n')
    (tmp_path / 'kmod').mkdir()
    module = tmp_path / 'kmod' / 'm.ko'
    module.write_bytes(b'\x7fELFmodule')
    out = tmp_path / 'initramfs.cpio'
    build.initramfs(elf(tmp_path, 'busybox', False), init,
                    [('tests/a', elf(tmp_path, 'a', False)), ('bench/m.ko', module)], out)
    records = {r[0]: r for r in read_newc(out.read_bytes())}
    assert records['init'][4] == init.read_bytes()
    assert records['lib/guest.sh'][4] == (build.HERE / 'guest.sh').read_bytes()
    assert stat.S_IFMT(records['dev/console'][1]) == stat.S_IFCHR
    assert records['bin/busybox'][1] & 0o111 and records['tests/a'][1] & 0o111
    assert records['bench/m.ko'][1] & 0o777 == 0o644
    assert {'tests', 'bench', 'lib', 'tmp'} <= set(records)


def test_initramfs_refuses_a_missing_or_dynamic_program(tmp_path):
    busybox = elf(tmp_path, 'busybox', False)
    with pytest.raises(build.BuildError, match='was not built'):
        build.initramfs(busybox, tmp_path / 'init', [('tests/x', tmp_path / 'x')],
                        tmp_path / 'out.cpio')
    with pytest.raises(build.BuildError, match='dyn is not a static'):
        build.initramfs(busybox, tmp_path / 'init',
                        [('tests/dyn', elf(tmp_path, 'dyn', True))],
                        tmp_path / 'out.cpio')


def test_workspace_refuses_a_directory_that_is_not_a_kernel_tree(tmp_path):
    with pytest.raises(build.BuildError, match='not a kernel tree'):
        build.Workspace(tmp_path, 'x86_64')


def test_workspaces_of_one_tree_share_the_mounts_and_not_the_objects(tmp_path, monkeypatch):
    tree = tmp_path / 'linux'
    tree.mkdir()
    (tree / 'Makefile').write_text('')
    monkeypatch.setattr(build, 'CACHE', tmp_path / 'cache')
    boot, bench = build.Workspace(tree, 'x86_64'), build.Workspace(tree, 'x86_64', 'obj-bench')
    assert boot.mnt == bench.mnt == tmp_path / 'cache' / 'x86_64' / 'mnt'
    assert boot.obj_dir.parent.name == 'obj' and bench.obj_dir.parent.name == 'obj-bench'
    assert boot.obj_dir.name == bench.obj_dir.name == build.tree_key(tree)


@pytest.fixture
def small_tree(tmp_path, monkeypatch):
    """A tree whose Kconfig defines A and B, fragments asking for A, B and
    C, and a configure step that writes the .config the test gives."""
    tree = tmp_path / 'linux'
    (tree / 'lib').mkdir(parents=True)
    (tree / 'Makefile').write_text('VERSION = 1\n')
    (tree / 'lib/Kconfig').write_text('config A\n\tbool "a"\nmenuconfig B\n\tbool "b"\n')
    frags = tmp_path / 'frags'
    frags.mkdir()
    (frags / 'common.config').write_text('CONFIG_A=y\nCONFIG_C=y\n')
    (frags / 'x86_64.config').write_text('# CONFIG_B is not set\n')
    monkeypatch.setattr(build, 'CACHE', tmp_path / 'cache')
    final = {}

    def run(self, steps, log):
        (self.obj_dir / '.config').write_text(final['text'])
        log.parent.mkdir(parents=True, exist_ok=True)
        log.touch()
        return ''
    monkeypatch.setattr(build.Workspace, 'run', run)
    return tree, final, [frags / 'common.config', frags / 'x86_64.config']


def test_configure_logs_symbols_the_tree_lacks_and_requires_the_others(small_tree, tmp_path,
                                                                      capsys):
    tree, final, fragments = small_tree
    final['text'] = 'CONFIG_A=y\n# CONFIG_B is not set\n'
    log = tmp_path / 'out/config.log'
    build.Workspace(tree, 'x86_64').configure(fragments, log)
    note = "ci.guest: x86_64: not in this tree's Kconfig, not required: CONFIG_C"
    assert capsys.readouterr().out.splitlines() == [note]
    assert log.read_text().splitlines() == [note]


def test_configure_fails_when_a_symbol_the_tree_defines_does_not_take(small_tree, tmp_path):
    tree, final, fragments = small_tree
    final['text'] = 'CONFIG_B=y\n'
    with pytest.raises(build.BuildError) as err:
        build.Workspace(tree, 'x86_64').configure(fragments, tmp_path / 'config.log')
    assert 'CONFIG_A=y requested, .config has it unset' in str(err.value)
    assert 'CONFIG_B=n requested, .config has CONFIG_B=y' in str(err.value)
    assert 'CONFIG_C' not in str(err.value)


def test_busybox_and_user_libraries_are_the_host_or_fetched_into_the_cache():
    x86, arm64 = GUEST_ARCHES['x86_64'], GUEST_ARCHES['arm64']
    assert build.busybox(x86) == Path('/bin/busybox') and build.user_flags(x86) == ('', '')
    assert build.busybox(arm64) == build.CACHE / 'busybox-arm64' / 'bin' / 'busybox'
    cflags, ldflags = build.user_flags(arm64)
    root = build.CACHE / 'sysroot-arm64'
    assert cflags == f'-isystem {root}/libcap-dev/usr/include -isystem {root}/uuid-dev/usr/include'
    assert ldflags == (f'-L{root}/libcap-dev/usr/lib/aarch64-linux-gnu '
                       f'-L{root}/uuid-dev/usr/lib/aarch64-linux-gnu')


def _gone(pid: int) -> bool:
    """Not running: no such process, or a zombie nobody has reaped yet."""
    try:
        state = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ('Z', 'X')


def _wait_for(path: Path, seconds: float = 10) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f'{path} never written')


def test_a_signal_stops_the_program_and_kills_everything_it_started(tmp_path):
    """What ci.boot and ci.bench do on SIGTERM: one line, 128 + 15, and the
    build's (or QEMU's) whole process group killed, not only its shell."""
    import subprocess
    import sys
    pid = tmp_path / 'pid'
    program = ('import sys\nfrom generator import interrupt\nfrom ci.guest import build\n'
               f'main = lambda: build.run_group(["sh", "-c", "sleep 60 & echo $! > {pid}; wait"])\n'
               'sys.exit(interrupt.run(main, "ci.test"))\n')
    run = subprocess.Popen([sys.executable, '-c', program], cwd=build.HERE.parent.parent,
                           stderr=subprocess.PIPE, text=True)
    grandchild = int(_wait_for(pid))
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=30)
    assert run.returncode == 128 + signal.SIGTERM
    assert err.splitlines() == ['ci.test: interrupted (SIGTERM): stopped, and the builds and '
                                'guests it started were killed']
    deadline = time.monotonic() + 5
    while not _gone(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(grandchild)


def test_run_group_kills_the_group_when_the_timeout_passes(tmp_path):
    pid = tmp_path / 'pid'
    started = time.monotonic()
    assert build.run_group(['sh', '-c', f'sleep 60 & echo $! > {pid}; wait'], timeout=1) is None
    assert time.monotonic() - started < 10
    grandchild = int(_wait_for(pid))
    deadline = time.monotonic() + 5
    while not _gone(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(grandchild)
    assert build.run_group(['sh', '-c', 'exit 3']) == 3


def test_build_times_the_kernel_make_from_its_marks_or_else_the_whole_run(tmp_path, monkeypatch):
    tree = tmp_path / 'linux'
    tree.mkdir()
    (tree / 'Makefile').write_text('')
    monkeypatch.setattr(build, 'CACHE', tmp_path / 'cache')
    logs = {'marked': 'kernel build start 10.0\nkernel build end 70.5\n'
                      'kernel build cpu 2m0.0s 0m30.0s\n', 'unmarked': 'CC x\n'}
    monkeypatch.setattr(build.Workspace, 'run', lambda self, steps, log: logs[steps[0]])
    work = build.Workspace(tree, 'x86_64')
    assert work.build(['marked'], tmp_path / 'log') == (logs['marked'], 60.5, 150.0)
    text, wall, cpu = work.build(['unmarked'], tmp_path / 'log')
    assert (text, cpu) == ('CC x\n', None) and 0 <= wall < 5
