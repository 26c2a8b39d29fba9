-- Driven by test/editors/neovim.test.ts: a real headless Neovim starts the language server the
-- way the README shows, on the nginx file it was opened with, waits for the diagnostics, asks for
-- the code actions at the first one, applies the proxy_http_version fix, and writes what it saw
-- to the JSON file named by NGINX_WS_OUT. Any error is written there too, and Neovim always quits.
local out = os.getenv('NGINX_WS_OUT')
local result = { errors = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd('qall!')
end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  local config = {
    name = 'nginx-ws',
    cmd = { os.getenv('NGINX_WS_NODE'), os.getenv('NGINX_WS_SERVER'), '--stdio' },
    root_dir = os.getenv('NGINX_WS_ROOT'),
    init_options = { settings = { rules = { ['ws-read-timeout'] = 'off' } } },
  }
  local id
  if vim.lsp.start then
    -- Neovim 0.8 and later
    result.api = 'vim.lsp.start'
    id = vim.lsp.start(config)
  else
    -- Neovim 0.7 (Debian 12)
    result.api = 'vim.lsp.start_client'
    id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(bufnr, id)
  end
  result.published = vim.wait(60000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  local diags = vim.diagnostic.get(bufnr)
  result.diagnostics = {}
  for _, d in ipairs(diags) do
    table.insert(result.diagnostics, { code = d.code, message = d.message, lnum = d.lnum, col = d.col, severity = d.severity, source = d.source })
  end
  local target
  for _, d in ipairs(diags) do if d.code == 'ws-http-version' then target = d end end
  if not target then error('no ws-http-version diagnostic') end
  local lsp = (target.user_data and target.user_data.lsp) or {}
  local range = { start = { line = target.lnum, character = target.col }, ['end'] = { line = target.end_lnum, character = target.end_col } }
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = range,
    context = { diagnostics = { { range = range, message = target.message, severity = target.severity, code = target.code, source = target.source, data = lsp.data } } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 30000) or {}
  result.actions = {}
  local fix
  for _, r in pairs(responses) do
    if r.error then table.insert(result.errors, vim.inspect(r.error)) end
    for _, a in ipairs(r.result or {}) do
      table.insert(result.actions, a.title)
      if not fix and a.edit and a.title:find('proxy_http_version', 1, true) then fix = a end
    end
  end
  if fix then
    vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
    result.text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  end
  vim.lsp.stop_client(id)
  result.stopped = vim.wait(10000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
end

-- once the file given on the command line is loaded into its buffer
vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, err = pcall(run)
    if not ok then table.insert(result.errors, tostring(err)) end
    finish()
  end,
})
