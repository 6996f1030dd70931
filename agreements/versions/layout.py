"""Where the contract PDF leaves room for each signature, read from WeasyPrint's layout.

The contract is rendered once, when a version is submitted. Recording where its signature lines
and date slots landed lets the signed PDF be made by stamping onto those exact bytes instead of
laying the contract out again. Coordinates are CSS pixels from the page's top-left corner, the
unit WeasyPrint lays out in and the stamp overlay is written in.
"""

# The body template marks each signatory's slots with these attributes (value: the user's id).
SLOT_ATTRIBUTES = {"line": "data-signature-line", "date": "data-signature-date"}


def signature_boxes(document) -> dict:
    """``{"page_size": [w, h], "slots": {user_id: {"page": i, "line": [x, y, w, h], "date": ...}}}``
    for a rendered WeasyPrint document; slots the layout did not place are absent."""
    from weasyprint.formatting_structure import boxes as wp_boxes  # heavy: only with a PDF

    slots: dict[str, dict] = {}
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if not isinstance(box, (wp_boxes.BlockBox, wp_boxes.InlineBlockBox)):
                continue
            element = box.element
            if element is None or box.element_tag not in ("div", "span"):
                continue
            for kind, attribute in SLOT_ATTRIBUTES.items():
                signer = element.get(attribute)
                if signer is None:
                    continue
                slot = slots.setdefault(signer, {"page": index})
                if kind in slot or slot["page"] != index:
                    continue  # the first box of an element split across pages
                slot[kind] = [
                    round(value, 2)
                    for value in (
                        box.border_box_x(),
                        box.border_box_y(),
                        box.border_width(),
                        box.border_height(),
                    )
                ]
    first = document.pages[0] if document.pages else None
    return {
        "page_size": [round(first.width, 2), round(first.height, 2)] if first else [0, 0],
        "slots": {signer: slot for signer, slot in slots.items() if "line" in slot},
    }
