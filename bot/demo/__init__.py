"""`silta demo`: the whole product on a laptop, with no accounts and no internet.

A bundled demo world (`world`, a fictional company and a week of mentions) is served by a local
feed server (`feeds`) that the real connectors poll; everything Silta posts goes to the local
Slack sandbox (`bot.sandbox`); a virtual clock (`clock`) and a time-lapse runner (`timelapse`)
play the worker's own jobs through a week in minutes; `run` wires it all together.
"""
