-- Pandoc Lua filters shared by the PDF (typst) and DOCX exports of a convention.
--
-- `sanitize` makes untrusted Markdown inert: no raw output, no key-value attributes
-- (pandoc turns `typst:*` attributes into typst code), no images read from disk, no link
-- but http(s), mailto and anchors.
-- `for_typst` and `for_docx` map the structure of the expanded agreement (title,
-- parties, parts, articles, closing line, signature table) onto the target layout.

local M = {}

local function strip_attributes(el)
  el.attributes = {}
  return el
end

--- A link is kept only towards the web, a mail address or an anchor of the document:
--- `javascript:`, `data:`, `file:`… become their text (a PDF viewer may follow them).
local function safe_link(el)
  local target = el.target:gsub('^[%s%c]+', ''):lower()
  if target:match('^https?://') or target:match('^mailto:') or target:match('^#') then
    el.attributes = {}
    return el
  end
  return el.content
end

M.sanitize = {
  RawInline = function(el) return pandoc.Str(el.text) end,
  RawBlock = function(el) return pandoc.Para({pandoc.Str(el.text)}) end,
  Image = function(el) return el.caption end,
  Span = strip_attributes,
  Div = strip_attributes,
  Header = strip_attributes,
  Code = strip_attributes,
  CodeBlock = strip_attributes,
  Link = safe_link,
  Table = strip_attributes,
  Figure = strip_attributes,
}

--- Index of the signature heading: the last level-2 header with id `signatures`.
local function signature_index(blocks)
  local found = nil
  for i, b in ipairs(blocks) do
    if b.t == 'Header' and b.level == 2 and b.identifier == 'signatures' then
      found = i
    end
  end
  return found
end

--- Index of the first level-2 header (the préambule): the parties block ends there.
local function first_h2(blocks)
  for i, b in ipairs(blocks) do
    if b.t == 'Header' and b.level == 2 then return i end
  end
  return #blocks + 1
end

--- The closing line (« Fait à … ») is, by construction of the Markdown renderer, the
--- paragraph right before the signature heading: found by position, never by its words.
local function is_closing(blocks, i, sig)
  return sig ~= nil and i == sig - 1 and blocks[i] ~= nil and blocks[i].t == 'Para'
end

local function cell_inlines(cell)
  return pandoc.utils.blocks_to_inlines(cell.contents)
end

--- Rows of the signature table as lists of inlines: {party, fonction, nom}.
local function signature_rows(blocks, from)
  local rows = {}
  for i = from, #blocks do
    local b = blocks[i]
    if b.t == 'Table' then
      for _, body in ipairs(b.bodies) do
        for _, row in ipairs(body.body) do
          local c = row.cells
          table.insert(rows, {cell_inlines(c[1]), cell_inlines(c[2]), cell_inlines(c[3])})
        end
      end
    end
  end
  return rows
end

local function raw(text) return pandoc.RawInline('typst', text) end

--- Typst: parties in `#parties[...]`, closing line + signature block in `#signatures(...)`.
function M.for_typst(doc)
  local blocks = doc.blocks
  local sig = signature_index(blocks)
  local out = pandoc.Blocks({})
  local stop = sig or (#blocks + 1)
  local fait = nil
  if sig and is_closing(blocks, sig - 1, sig) then
    fait = blocks[sig - 1]
    stop = sig - 1
  end
  local parties_end = first_h2(blocks)
  for i = 1, stop - 1 do
    local b = blocks[i]
    if i == 2 and i < parties_end then out:insert(pandoc.RawBlock('typst', '#parties[')) end
    out:insert(b)
    if i == parties_end - 1 and i >= 2 then out:insert(pandoc.RawBlock('typst', ']')) end
  end
  if sig then
    local inl = pandoc.Inlines({raw('#signatures(fait: [')})
    if fait then inl:extend(fait.content) end
    inl:insert(raw('], title: ['))
    inl:extend(blocks[sig].content)
    inl:insert(raw('], cells: ('))
    for _, r in ipairs(signature_rows(blocks, sig + 1)) do
      inl:insert(raw('(['))
      inl:extend(r[1])
      inl:insert(raw('], ['))
      inl:extend(r[2])
      inl:insert(raw('], ['))
      inl:extend(r[3])
      inl:insert(raw(']),'))
    end
    inl:insert(raw('))'))
    out:insert(pandoc.Plain(inl))
  end
  doc.blocks = out
  return doc
end

local function styled(style, blocks)
  return pandoc.Div(blocks, {['custom-style'] = style})
end

local function styled_cell(cell, style)
  local inlines = pandoc.utils.blocks_to_inlines(cell.contents)
  cell.contents = {styled(style, {pandoc.Para(inlines)})}
  return cell
end

--- `logos`: {path, alt} (docx_logos.py); the alt text becomes the picture's
--- description, where pandoc would otherwise write the image path.
local function logo_row(logos)
  if #logos == 0 then return pandoc.Blocks({}) end
  local imgs = pandoc.Inlines({})
  for i, logo in ipairs(logos) do
    if i > 1 then imgs:extend({pandoc.Str('\u{2003}'), pandoc.Str('\u{2003}')}) end
    imgs:insert(pandoc.Image(pandoc.Inlines(logo.alt), logo.path, '', {height = '1.6cm'}))
  end
  return styled('Logos', {pandoc.Para(imgs)})
end

--- List items of a quoted article (avenant): style `Citation — liste`, which docx_finish
--- indents under the quote (pandoc would give them `Compact` and the numbering's indent,
--- outside the quote). A custom style reaches list paragraphs only around a `Para`.
local function quote_list_items(list)
  for i, item in ipairs(list.content) do
    local blocks = pandoc.Blocks(item):walk({
      Plain = function(p) return pandoc.Para(p.content) end})
    list.content[i] = {styled('Citation — liste', blocks)}
  end
  return list
end

local function quote(b)
  return b:walk({BulletList = quote_list_items, OrderedList = quote_list_items})
end

--- Signature table: relative column widths (party, function, name, signature) leaving
--- about 6 cm to sign in a 16.2 cm text width.
local SIGNATURE_WIDTHS = {0.2, 0.24, 0.18, 0.38}

--- DOCX: named paragraph styles of the reference document. The title itself is
--- rendered by pandoc from the metadata (style `Title`), which also fills the core
--- properties, so the level-1 heading is dropped; the logos follow the title. Parts
--- (level 2) and articles (level 3) stay headings: Word's built-in `Heading 2` and
--- `Heading 3`, restyled by the reference document (navigation pane, outline).
function M.for_docx(doc, logos)
  local blocks = doc.blocks
  local sig = signature_index(blocks)
  local parties_end = first_h2(blocks)
  local out = pandoc.Blocks({})
  local parties = pandoc.Blocks({})
  for i, b in ipairs(blocks) do
    if b.t == 'Header' and b.level == 1 then
      out:insert(logo_row(logos))
    elseif i < parties_end then
      parties:insert(b)
      if i == parties_end - 1 then out:insert(styled('Parties', parties)) end
    elseif is_closing(blocks, i, sig) then
      out:insert(styled('Clôture', {b}))
    elseif b.t == 'BlockQuote' then
      out:insert(quote(b))
    elseif sig and i > sig and b.t == 'Table' then
      if #b.colspecs == #SIGNATURE_WIDTHS then
        for j, spec in ipairs(b.colspecs) do b.colspecs[j] = {spec[1], SIGNATURE_WIDTHS[j]} end
      end
      for _, body in ipairs(b.bodies) do
        for _, row in ipairs(body.body) do
          for j, cell in ipairs(row.cells) do
            if j == 4 then
              cell.contents = {pandoc.Plain({pandoc.Str('\u{00A0}')})}  -- room to sign
              styled_cell(cell, 'Zone de signature')
            else
              styled_cell(cell, 'Signataire')
            end
          end
        end
      end
      for _, row in ipairs(b.head.rows) do
        for _, cell in ipairs(row.cells) do styled_cell(cell, 'Signataire — en-tête') end
      end
      out:insert(b)
    else
      out:insert(b)
    end
  end
  doc.blocks = out
  return doc
end

return M
