"""The production static storage can be built: collectstatic with the manifest storage."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

from slaportal import health

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor"


def test_no_vendored_file_points_at_a_source_map_we_do_not_ship():
    offenders = [
        str(path.relative_to(VENDOR))
        for path in VENDOR.rglob("*")
        if path.suffix in {".js", ".css"} and b"sourceMappingURL" in path.read_bytes()
    ]
    assert offenders == [], "strip their sourceMappingURL comments (static/vendor/README.md)"


def test_collectstatic_with_the_production_storage_writes_every_layout_asset(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    for path in health.base_layout_assets():
        hashed = staticfiles_storage.stored_name(path)
        assert hashed != path and (tmp_path / hashed).is_file()
    assert health.static_ok() == (True, "ok")
