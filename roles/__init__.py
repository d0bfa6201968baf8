"""The roles app owns what the site explains: EMS as a system, the certification levels
(the ladder EMR, EMT, AEMT, Paramedic and beyond), the other roles around them, guides and the FAQ."""
