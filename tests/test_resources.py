from volmify_cli.resources import resource_dir


def test_shipped_directories_are_found() -> None:
    assert (resource_dir("templates") / "README.md").is_file()
    assert (resource_dir("fixtures") / "README.md").is_file()
