#include "models/model_params.h"

namespace mfgsim {

int SectorTable::index_of(const std::string& name) const {
  for (int i = 0; i < size(); ++i)
    if (names[i] == name) return i;
  return -1;
}

}  // namespace mfgsim
