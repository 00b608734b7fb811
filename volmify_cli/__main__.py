from volmify_cli.cli.app import main

main()
