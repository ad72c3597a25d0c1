"""Finding entities by name: text folding (:mod:`.normalize`) and the index (:mod:`.index`)."""
