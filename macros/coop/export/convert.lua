-- Convert many expanded conventions in one pandoc process:
--   pandoc lua convert.lua manifest.json
-- The manifest (written by coop.export.pandoc) lists, per convention, the Markdown
-- file to read, the outputs to write (typst source, DOCX) and the document metadata.
-- One failing document does not stop the others: its error goes to stderr, prefixed
-- with its id, and the Python side reports it.

local script_dir = pandoc.path.directory(arg[0])
local filters = dofile(pandoc.path.join({script_dir, 'filters.lua'}))

local function read_file(path)
  local f = assert(io.open(path, 'rb'))
  local text = f:read('a')
  f:close()
  return text
end

local function write_file(path, data)
  local f = assert(io.open(path, 'wb'))
  f:write(data)
  f:close()
end

local function set_meta(doc, meta)
  doc.meta = {}
  doc.meta.title = pandoc.MetaString(meta.title)
  doc.meta.subject = pandoc.MetaString(meta.subject)
  doc.meta.lang = pandoc.MetaString(meta.lang)
  local keywords = {}
  for _, k in ipairs(meta.keywords) do table.insert(keywords, pandoc.MetaInlines(pandoc.Inlines(k))) end
  doc.meta.keywords = pandoc.MetaList(keywords)
  for key, value in pairs(meta.custom or {}) do
    doc.meta[key] = pandoc.MetaString(value)
  end
end

local function convert(job, reader)
  local doc = pandoc.read(read_file(job.markdown), reader)
  doc = doc:walk(filters.sanitize)
  if job.typst then
    local tdoc = filters.for_typst(doc:clone())
    write_file(job.typst, pandoc.write(tdoc, 'typst', {wrap_text = 'wrap-none'}))
  end
  if job.docx then
    local ddoc = filters.for_docx(doc:clone(), job.logos)
    set_meta(ddoc, job.meta)
    -- SOURCE_DATE_EPOCH, per document, fixes the dates written in the DOCX package
    local env = {SOURCE_DATE_EPOCH = tostring(math.tointeger(job.epoch))}
    local bytes = pandoc.system.with_environment(env, function()
      return pandoc.write(ddoc, 'docx', {reference_doc = job.reference_doc})
    end)
    write_file(job.docx, bytes)
  end
end

local manifest = pandoc.json.decode(read_file(arg[1]), false)
local failures = 0
for _, job in ipairs(manifest.jobs) do
  local ok, err = pcall(convert, job, manifest.reader)
  if not ok then
    failures = failures + 1
    io.stderr:write(job.id .. '\t' .. tostring(err):gsub('\n', ' ') .. '\n')
  end
end
os.exit(failures == 0 and 0 or 1)
