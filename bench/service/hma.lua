-- wrk script for HMA's lookup route: GETs the paths of a file (one a line), in turn.
-- wrk -s bench/service/hma.lua URL -- PATHS.txt API_KEY
local paths = {}
local next_path = 0

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  -- Each wrk thread starts at a different place in the file.
  next_path = math.random(#paths)
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
