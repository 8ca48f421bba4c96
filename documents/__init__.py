"""The documents the Measures call for (§4(2)–§4(5), §5(1), §6(2)): templates in Chinese,
rendered deterministically (the same data gives the same bytes) to PDF, Word and Excel.

`documents.render` turns a template and its data into bytes; `documents.kinds` names every
document; `documents.content` holds what each one shows. The archive (档案) and who may
read what are `services.documents`.
"""
