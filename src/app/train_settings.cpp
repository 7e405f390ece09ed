#include "app/train_settings.h"

#include "recipe/presets.h"

namespace dt {

void apply_preset_defaults(TrainSettings& s) {
  const Preset& p = presets()[s.preset];
  s.lr = p.train.lr;
  s.batch = p.train.batch;
  s.optimizer = p.train.optimizer.kind;
  s.epochs = p.train.epochs;
  s.augment = p.train.augment.enabled();
  s.amounts = s.augment ? p.train.augment : standard_augment();
  s.momentum = p.train.optimizer.momentum;
  s.schedule = p.train.schedule.kind;
  s.loss = p.train.loss;
  s.focal_gamma = p.train.focal_gamma;
  s.label_smoothing = p.train.label_smoothing;
  s.l1 = p.train.optimizer.l1;
  s.l2 = p.train.optimizer.l2;
  s.val = p.val_fraction;
  s.patience = p.train.patience;
  s.architecture.clear();  // the preset's own layers
}

}  // namespace dt
