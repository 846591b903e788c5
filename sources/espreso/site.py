"""What newsflow calls the Espreso Global site, and the parts of its article template it relies on."""

SOURCE = "espreso-global"
# The article template's key elements: a drop in how many pages have them means a layout change.
LAYOUT_PARTS = ("headline", "date_line", "body")
